/**
 * A restarted relay must get its fixed port back at once, although the connections it just
 * closed linger in TIME_WAIT on that port. (Ports first picked by the kernel with PORT=0 do not
 * rebind this way on Linux, so this test uses a fixed port, as production does.)
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connect, joinedClient, startTestServer } from './helpers';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('restart on a fixed port', () => {
  it('rebinds immediately while closed connections are in TIME_WAIT, and serves again', async () => {
    const port = await freePort();
    const first = await startTestServer({ port });
    const a = await joinedClient(first.wsUrl, 'restart-room', 'A');
    const b = await joinedClient(first.wsUrl, 'restart-room', 'B');
    await first.close();
    expect((await a.c.closed).code).toBe(1001);
    expect((await b.c.closed).code).toBe(1001);

    const second = await startTestServer({ port });
    try {
      expect(second.server.port).toBe(port);
      const c = await connect(second.wsUrl);
      expect(await c.hello()).toHaveLength(12);
      c.ws.close();
    } finally {
      await second.close();
    }
  });
});
