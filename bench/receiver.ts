// The merchant's side of the benchmarks: a loopback receiver that notes when each token's POSTs arrive.
import http from 'node:http';
import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';

/** `/ok` answers 200; `/flaky` fails each token's first POST with 500; `/down` always 503; `/hang` never answers. */
export class BenchReceiver {
  /** Arrival times (performance.now()) of every POST, by path and token. */
  readonly arrivals = new Map<string, Map<string, number[]>>();
  private readonly counts = new Map<string, number>();
  private readonly events = new EventEmitter();
  /** POSTs to `/hang` open right now, and the most seen open at once. */
  hanging = 0;
  peakHanging = 0;
  private readonly server = http.createServer((req, res) => {
    if (req.url?.startsWith('/hang')) {
      // Held until the sender gives up (its attempt timeout): a receiver that accepts and never answers.
      this.peakHanging = Math.max(this.peakHanging, ++this.hanging);
      this.counts.set('/hang', (this.counts.get('/hang') ?? 0) + 1);
      req.socket.once('close', () => this.hanging--);
      this.events.emit('post');
      return;
    }
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
    if (this.count(path) >= n) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (this.count(path) < n) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${path}: ${this.count(path)} of ${n} POSTs arrived in ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.events.off('post', check);
      };
      this.events.on('post', check);
    });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
