// `npm run bench -- --tracing`: a collector that accepts OTLP/HTTP exports and drops them, so what is measured is
// Arauto's cost of tracing (spans made, batched, serialised and sent), not a collector's.
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface OtlpSink {
  url: string;
  /** Exports received, and their bytes. */
  stats(): { exports: number; bytes: number };
  stop(): Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  let exports = 0;
  let bytes = 0;
  const server = http.createServer((req, res) => {
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats: () => ({ exports, bytes }),
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
