import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

// A stand-in OTLP/HTTP collector on a local port: records what the exporter posts.
function collector(): Promise<{
  server: Server;
  url: string;
  received: Array<{ path: string; body: string }>;
}> {
  const received: Array<{ path: string; body: string }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/`, received });
    }),
  );
}

function runFixture(endpoint: string): Promise<void> {
  const fixture = join(__dirname, '../test/otlp-export.fixture.ts');
  const args = ['--conditions=@switchboard/source', '--import', 'tsx', fixture, endpoint];
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { cwd: join(__dirname, '..') }, (err, _stdout, stderr) =>
      err ? reject(new Error(`fixture failed: ${stderr}`)) : resolve(),
    ),
  );
}

describe('startTelemetry with an OTLP endpoint', () => {
  it('exports finished spans to <endpoint>/v1/traces by shutdown', async () => {
    const { server, url, received } = await collector();
    try {
      await runFixture(url);
      expect(received.map((r) => r.path)).toContain('/v1/traces');
      const body = received.map((r) => r.body).join('');
      expect(body).toContain('assign-conversation');
      expect(body).toContain('routing');
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 30_000);
});
