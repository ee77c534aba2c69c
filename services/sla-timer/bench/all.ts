// `pnpm bench` (and the root `pnpm bench:sla`): the timer-structure bench, then the service through
// Kafka, each in its own process; the last line joins their figures.
import { spawn } from 'node:child_process';
import path from 'node:path';

function runBench(file: string, nodeArgs: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeArgs, '--conditions=@switchboard/source', '--import', 'tsx', path.join(__dirname, file)],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } },
    );
    let last = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = chunk.toString().trim().split('\n');
      last = lines[lines.length - 1] ?? last;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(last) : reject(new Error(`${file} exited with ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  const timers = await runBench('timers.ts', ['--expose-gc', '--max-old-space-size=2048']);
  const service = await runBench('service.ts', []);
  const figures = new Map<string, string>();
  for (const line of [timers, service])
    for (const pair of line.split(/\s+/)) {
      const [k, v] = pair.split('=');
      if (k && v !== undefined) figures.set(k, v);
    }
  console.log([...figures].map(([k, v]) => `${k}=${v}`).join(' '));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
