// A stand-in for the payment provider of seed 003 (I1–I4): vehicle debt queries and payments, each honouring the
// caller's clientRequestId end to end, and counting what it was really asked to do.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface Debt {
  debtId: string;
  description: string;
  amount: number;
  dueDate: string;
  year: number;
}

/** A payment as the provider keeps it; its receipt exists once processing is over. */
export interface ProviderPayment {
  paymentId: string;
  clientRequestId: string;
  debtId: string;
  amount: number;
  vehicle: { licensePlate: string; renavam: string; state: string };
  receipt?: Record<string, unknown>;
}

export interface CelcoinOptions {
  /** How long a payment stays in processing before its receipt exists (default 1 s). */
  processingMs?: number;
}

export class CelcoinEmulator {
  /** Debt queries actually run, by clientRequestId. */
  readonly debtQueries = new Map<string, number>();
  /** Payments actually made, by clientRequestId: what a duplicate charge would show. */
  readonly payments = new Map<string, ProviderPayment>();
  /** Debts found by queries, by debtId: what a payment's receipt describes. */
  private readonly debts = new Map<string, Debt>();
  private held = false;
  private readonly waiting: ProviderPayment[] = [];
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  private constructor(private readonly processingMs: number) {}

  static async start(port = 0, { processingMs = 1000 }: CelcoinOptions = {}): Promise<CelcoinEmulator> {
    const emulator = new CelcoinEmulator(processingMs);
    emulator.server.listen(port, '127.0.0.1');
    await once(emulator.server, 'listening');
    return emulator;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Payments made from now on stay in processing until release(): a test's window for repeats mid-payment. */
  holdProcessing(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    for (const payment of this.waiting.splice(0)) this.settle(payment);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, json: unknown): void =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'POST' && url.pathname === '/v5/transactions/vehicledebts/consult') {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      const key = String(body.clientRequestId ?? '');
      if (this.debtQueries.has(key)) {
        // I3, exactly as the seed shows.
        return send(400, { transactionId: 0, message: `Consulta de débitos já realizada com clientRequestId: ${key}`, errorCode: '822' });
      }
      this.debtQueries.set(key, (this.debtQueries.get(key) ?? 0) + 1);
      const year = new Date().getFullYear();
      const debt: Debt = {
        debtId: randomUUID().toUpperCase(), description: `Licenciamento ${year}`, amount: 1009.36, dueDate: `${year}-12-28T00:00:00`, year,
      };
      this.debts.set(debt.debtId, debt);
      return send(200, {
        transactionId: Math.floor(Math.random() * 1e9) + 1,
        errorCode: '000',
        message: 'SUCESSO',
        licensePlate: body.licensePlate, renavam: body.renavam, state: body.state,
        debts: [debt],
      });
    }
    if (req.method === 'POST' && url.pathname === '/v5/transactions/vehicledebts/pay') {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      const key = String(body.clientRequestId ?? '');
      const known = this.payments.get(key);
      // I1, I2: the same key answers the same payment, never a second one; a different body under it is refused.
      if (known && (known.debtId !== body.debtId || known.amount !== body.amount)) {
        return send(400, { errorCode: '823', message: `clientRequestId ${key} já usado com outros dados` });
      }
      const payment = known ?? {
        paymentId: randomUUID().toUpperCase(), clientRequestId: key, debtId: String(body.debtId), amount: Number(body.amount),
        vehicle: { licensePlate: String(body.licensePlate), renavam: String(body.renavam), state: String(body.state) },
      };
      if (!known) {
        this.payments.set(key, payment);
        // Processed asynchronously, as the seed's answer says ("Aguarde a resposta do processamento").
        if (this.held) this.waiting.push(payment);
        else setTimeout(() => this.settle(payment), this.processingMs).unref();
      }
      return send(200, {
        paymentId: payment.paymentId,
        errorCode: '000',
        message: 'Solicitação recebida com sucesso. Aguarde a resposta do processamento no webhook cadastrado.',
      });
    }
    const status = /^\/v5\/transactions\/vehicledebts\/payments\/([A-Za-z0-9-]+)$/.exec(url.pathname);
    if (req.method === 'GET' && status) {
      // The payment's state and, once processed, its receipt in the seed's shape (the provider's own webhook
      // carries the same receipt; Arauto reads it here instead of exposing an inbound endpoint).
      const payment = [...this.payments.values()].find((p) => p.paymentId === status[1]);
      if (!payment) return send(404, { errorCode: '404', message: 'Pagamento não encontrado.' });
      return send(200, payment.receipt
        ? { paymentId: payment.paymentId, status: 'CONFIRMED', receipt: payment.receipt }
        : { paymentId: payment.paymentId, status: 'PROCESSING' });
    }
    send(404, { errorCode: '404', message: 'Rota não encontrada.' });
  }

  private settle(payment: ProviderPayment): void {
    const year = new Date().getFullYear();
    const debt = this.debts.get(payment.debtId)
      ?? { description: 'Débito veicular', dueDate: `${year}-12-28T00:00:00`, year };
    payment.receipt = {
      ...payment.vehicle,
      description: debt.description,
      debtId: payment.debtId,
      amount: payment.amount,
      authentication: [...randomBytes(16)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('.'),
      dueDate: debt.dueDate,
      clientRequestId: payment.clientRequestId,
      year: debt.year,
      payDate: new Date().toISOString().slice(0, 19),
    };
  }
}
