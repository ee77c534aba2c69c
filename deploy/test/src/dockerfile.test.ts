import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployDir, repoRoot } from './paths';

const dockerfile = readFileSync(join(deployDir, 'docker/Dockerfile'), 'utf8');
/** Instructions with their continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const runtime = instructions.slice(
  instructions.findIndex((l) => l.startsWith('FROM') && l.endsWith('AS runtime')),
);
const json = (prefix: string) =>
  JSON.parse(runtime.find((l) => l.startsWith(`${prefix} `))!.slice(prefix.length + 1));

describe('deploy/docker/Dockerfile', () => {
  it('builds the bundle with the script the CI boot test runs, with the pnpm of the workspace', () => {
    expect(instructions).toContainEqual(
      expect.stringMatching(/^RUN .*deploy\/docker\/bundle\.sh \/out "\$SERVICE"$/),
    );
    const packageManager = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).packageManager;
    expect(dockerfile).toContain(`npm install -g ${packageManager}`);
    expect(instructions).toContainEqual(expect.stringContaining('pnpm install --offline --frozen-lockfile'));
  });

  it('runs on distroless Node as a numeric non-root user, with node as PID 1 starting dist/main.js', () => {
    expect(runtime[0]).toMatch(
      /^FROM gcr\.io\/distroless\/nodejs\$\{NODE_VERSION\}-debian12:nonroot AS runtime$/,
    );
    expect(instructions).toContain('ARG NODE_VERSION=24');
    expect(runtime).toContain('USER 65532:65532');
    expect(json('ENTRYPOINT')[0]).toBe('/nodejs/bin/node');
    expect(json('CMD')).toEqual(['dist/main.js']);
    expect(runtime).toContainEqual(
      expect.stringMatching(/^COPY --from=build --chown=65532:65532 \/out\/\$\{SERVICE\} \/app$/),
    );
  });

  it('labels the image with the OCI annotations', () => {
    const label = runtime.find((l) => l.startsWith('LABEL '))!;
    for (const key of ['title', 'description', 'source', 'licenses', 'version', 'revision', 'created'])
      expect(label).toContain(`org.opencontainers.image.${key}=`);
  });

  it('keeps installed dependencies and build outputs out of the build context', () => {
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });
});
