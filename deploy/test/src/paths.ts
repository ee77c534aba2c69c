import { join } from 'node:path';

/** The repository root and the deploy folders the checks read. */
export const repoRoot = join(__dirname, '../../..');
export const deployDir = join(repoRoot, 'deploy');
export const k8sDir = join(deployDir, 'k8s');
export const overlays = ['dev', 'production'] as const;
export type Overlay = (typeof overlays)[number];
export const overlayDir = (overlay: Overlay) => join(k8sDir, 'overlays', overlay);
export const operationsDoc = join(repoRoot, 'docs/operations.md');
export const topicsSpec = join(k8sDir, 'base/jobs/topics.txt');
export const provisionScript = join(k8sDir, 'base/jobs/provision-topics.sh');
export const bundleScript = join(deployDir, 'docker/bundle.sh');
