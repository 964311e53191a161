// A real merchant endpoint on loopback that answers as each test tells it to.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { EventEmitter } from 'node:events';

/**
 * A status code, or: `hang` (never answer), `reset` (drop the socket), `redirect` (302 elsewhere), or a function
 * deciding the status once it resolves (a test holding an answer until something else has happened).
 */
export type Behaviour = number | 'hang' | 'reset' | 'redirect' | ((request: ReceivedRequest) => Promise<number>);

export interface ReceivedRequest {
  method: string;
  path: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private script: Behaviour[] = [];
  private fallback: Behaviour = 200;
  private readonly events = new EventEmitter();
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    receiver.server.listen(0, '127.0.0.1');
    await once(receiver.server, 'listening');
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next requests get these behaviours in order; after them, `then` (default 200). */
  respond(behaviours: Behaviour[], then: Behaviour = 200): void {
    this.script = [...behaviours];
    this.fallback = then;
  }

  reset(): void {
    this.requests.length = 0;
    this.respond([]);
  }

  requestsTo(pathname: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.url.pathname === pathname);
  }

  /** How many POSTs each gerencianet notification got at `pathname`, by its token (the `notification` field, G1). */
  postsPerToken(pathname: string): Map<string, number> {
    const posts = new Map<string, number>();
    for (const r of this.requestsTo(pathname)) {
      const token = new URLSearchParams(r.body).get('notification')!;
      posts.set(token, (posts.get(token) ?? 0) + 1);
    }
    return posts;
  }

  /** Resolves when `count` requests have arrived at `pathname` (an observable event, not a sleep). */
  async waitFor(pathname: string, count: number): Promise<ReceivedRequest[]> {
    await this.until(() => this.requestsTo(pathname).length >= count);
    return this.requestsTo(pathname);
  }

  /** Resolves once `check` holds, checked at each request. */
  async until(check: () => boolean): Promise<void> {
    while (!check()) await once(this.events, 'request');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.url);
      const request = {
        method: req.method ?? '', path: req.url ?? '', url, headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(request);
      const behaviour = this.script.length > 0 ? this.script.shift()! : this.fallback;
      this.events.emit('request');
      if (typeof behaviour === 'function') return void behaviour(request).then((status) => this.answer(res, status));
      if (behaviour === 'hang') return;
      if (behaviour === 'reset') return void req.socket.destroy();
      if (behaviour === 'redirect') {
        res.writeHead(302, { location: `${this.url}/redirected` }).end();
        return;
      }
      this.answer(res, behaviour);
    });
  }

  private answer(res: http.ServerResponse, status: number): void {
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'Recebido' : `status ${status}`);
  }
}
