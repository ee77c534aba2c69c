import net from 'node:net';
import { canConnect, freePort, uniqueName, waitFor } from './net';

describe('net helpers', () => {
  it('finds a port nobody listens on, and sees a listener once there is one', async () => {
    const port = await freePort();
    expect(await canConnect('127.0.0.1', port)).toBe(false);
    const server = net.createServer().listen(port, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    expect(await canConnect('127.0.0.1', port)).toBe(true);
    server.close();
  });

  it('makes names that are valid topic names and differ each time', () => {
    const a = uniqueName('my topic/1');
    const b = uniqueName('my topic/1');
    expect(a).toMatch(/^[a-zA-Z0-9._-]+$/);
    expect(a).not.toBe(b);
  });

  it('waitFor gives up with the name of what it waited for', async () => {
    await expect(waitFor('the impossible', async () => false, 300)).rejects.toThrow(/the impossible/);
  });
});
