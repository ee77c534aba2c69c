// `buf breaking` against main, from the proto/ folder. On main itself (or in a clone without a main
// branch, such as a shallow CI checkout) it compares with the last commit that touched main instead,
// so the check is always wired; it is a no-op only when there is no history at all.
import { execFileSync, spawnSync } from 'node:child_process';

function git(...args) {
  return spawnSync('git', args, { encoding: 'utf8' });
}

const hasMain = git('rev-parse', '--verify', '--quiet', 'refs/heads/main').status === 0;
const hasOriginMain = git('rev-parse', '--verify', '--quiet', 'refs/remotes/origin/main').status === 0;
const branch = git('rev-parse', '--abbrev-ref', 'HEAD').stdout.trim();
let against;
if (hasMain && branch !== 'main') against = '../.git#branch=main,subdir=proto';
else if (hasOriginMain && branch !== 'main') against = '../.git#ref=refs/remotes/origin/main,subdir=proto';
else if (git('rev-parse', '--verify', '--quiet', 'HEAD~1').status === 0)
  against = '../.git#ref=HEAD~1,subdir=proto';
if (!against) {
  console.log('buf breaking: no earlier version of the contracts to compare with');
  process.exit(0);
}
// A commit before proto/ existed has nothing to compare with.
const probe = git(
  'ls-tree',
  '-d',
  against.includes('HEAD~1') ? 'HEAD~1' : hasMain ? 'main' : 'origin/main',
  'proto',
);
if (!probe.stdout.trim()) {
  console.log(`buf breaking: ${against} has no proto/ folder yet`);
  process.exit(0);
}
console.log(`buf breaking --against ${against}`);
execFileSync('buf', ['breaking', '--against', against], { stdio: 'inherit' });
