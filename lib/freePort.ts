// A TCP port free on loopback right now: for servers this project starts (dev servers, Core's metrics exporter).
// Its own file: the worker needs it in production, where lib/temporalServers.ts's test-only imports are absent.
import net from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
