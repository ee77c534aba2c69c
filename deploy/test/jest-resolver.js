// kubernetes-models and @kubernetes-models/* export an "import" condition only: resolve them (and the
// files they import) with it. Everything else resolves as jest.base.js says.
const esmOnly = /^(kubernetes-models|@kubernetes-models\/)/;

module.exports = (request, options) => {
  const fromEsmOnly =
    /[/\\]node_modules[/\\](\.pnpm[/\\])?(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex)/.test(
      options.basedir,
    );
  if (esmOnly.test(request) || fromEsmOnly) {
    return options.defaultResolver(request, { ...options, conditions: ['import', 'default'] });
  }
  return options.defaultResolver(request, options);
};
