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

/**
 * Decides one request from its notification's own history: `nth` is 1 for the notification's first POST, 2 for its
 * second, and so on, whatever other notifications' POSTs arrived in between (see `notificationOf`).
 */
export type PerNotification = (nth: number, request: ReceivedRequest) => Behaviour;

/** Which notification a request belongs to: its gerencianet token (G1's `notification` field), else its webhook-id. */
export function notificationOf(request: ReceivedRequest): string | undefined {
  return new URLSearchParams(request.body).get('notification') ?? (request.headers['webhook-id'] as string | undefined);
}

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
  private perNotification?: PerNotification;
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

  /**
   * The next requests get these behaviours in order; after them, `then` (default 200). Arrival order across
   * notifications is not the order they were raised in (retries interleave): with several notifications in
   * flight, use `respondPerNotification`.
   */
  respond(behaviours: Behaviour[], then: Behaviour = 200): void {
    this.script = [...behaviours];
    this.fallback = then;
    this.perNotification = undefined;
  }

  /** Each request's behaviour decided by `decide` from its own notification's count of POSTs (replaces any script). */
  respondPerNotification(decide: PerNotification): void {
    this.respond([]);
    this.perNotification = decide;
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

  /** The requests that belong to `notification` (a token or webhook-id, see `notificationOf`), in arrival order. */
  requestsOf(notification: string): ReceivedRequest[] {
    return this.requests.filter((r) => notificationOf(r) === notification);
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
      const notification = notificationOf(request);
      const behaviour = this.perNotification && notification !== undefined
        ? this.perNotification(this.requestsOf(notification).length, request)
        : this.script.length > 0 ? this.script.shift()! : this.fallback;
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
