// The merchant's side of the benchmarks: a loopback receiver that notes when each token's POSTs arrive.
import http from 'node:http';
import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';

/** `/ok` answers 200; `/flaky` fails each token's first POST with 500; `/down` always 503. */
export class BenchReceiver {
  /** Arrival times (performance.now()) of every POST, by path and token. */
  readonly arrivals = new Map<string, Map<string, number[]>>();
  private readonly counts = new Map<string, number>();
  private readonly events = new EventEmitter();
  private readonly server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const at = performance.now();
      const path = (req.url ?? '/').split('?')[0];
      const token = new URLSearchParams(body).get('notification') ?? '';
      const byToken = this.arrivals.get(path) ?? new Map<string, number[]>();
      this.arrivals.set(path, byToken);
      const seen = byToken.get(token) ?? [];
      seen.push(at);
      byToken.set(token, seen);
      this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
      const status = path === '/down' ? 503 : path === '/flaky' && seen.length === 1 ? 500 : 200;
      res.writeHead(status).end();
      this.events.emit('post');
    });
  });

  static async start(): Promise<BenchReceiver> {
    const r = new BenchReceiver();
    r.server.keepAliveTimeout = 60_000;
    r.server.listen(0, '127.0.0.1');
    await once(r.server, 'listening');
    return r;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  count(path: string): number {
    return this.counts.get(path) ?? 0;
  }

  /** Resolves once `path` has received `n` POSTs in all (an observable event, no sleeping). */
  async until(path: string, n: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.count(path) < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${path}: ${this.count(path)} of ${n} POSTs arrived in ${timeoutMs} ms`);
      await Promise.race([once(this.events, 'post'), new Promise((r) => setTimeout(r, Math.min(left, 1000)))]);
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
