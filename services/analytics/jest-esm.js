// node-pg-migrate (and cookie, behind fastify's inject) ship ESM only, which jest's CommonJS runtime
// cannot require without --experimental-vm-modules: let SWC compile those packages to CommonJS too.
const esmOnly = ['node-pg-migrate', 'cookie'];

module.exports = function withEsmDeps(config) {
  const tsTransform = config.transform['^.+\\.ts$'];
  const js = [
    tsTransform[0],
    { ...tsTransform[1], jsc: { ...tsTransform[1].jsc, parser: { syntax: 'ecmascript' } } },
  ];
  const pattern = esmOnly.map((p) => `\\.pnpm/${p}@|${p}/`).join('|');
  return {
    ...config,
    transform: { ...config.transform, [`/node_modules/.*(${esmOnly.join('|')}).*\\.js$`]: js },
    transformIgnorePatterns: [`/node_modules/(?!(${pattern}))`],
  };
};
