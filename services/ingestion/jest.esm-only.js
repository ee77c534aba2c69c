// content-disposition (@fastify/swagger-ui) and cookie (light-my-request, behind inject) ship ESM only:
// compile them to CommonJS for jest, which cannot require ESM without --experimental-vm-modules.
const esmOnly = ['content-disposition', 'cookie'];

module.exports = function withEsmOnly(config) {
  return {
    ...config,
    transform: { ...config.transform, '^.+\\.js$': config.transform['^.+\\.ts$'] },
    transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/)?(${esmOnly.join('|')})[@/])`],
  };
};
