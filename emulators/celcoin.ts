// A stand-in for the payment provider of seed 003 (I1–I4): vehicle debt queries and payments, each honouring the
// caller's clientRequestId end to end, and counting what it was really asked to do.
import { randomUUID } from 'node:crypto';
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

export class CelcoinEmulator {
  /** Debt queries actually run, by clientRequestId. */
  readonly debtQueries = new Map<string, number>();
  /** Payments actually made, by clientRequestId: what a duplicate charge would show. */
  readonly payments = new Map<string, { paymentId: string; debtId: string; amount: number }>();
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  static async start(port = 0): Promise<CelcoinEmulator> {
    const emulator = new CelcoinEmulator();
    emulator.server.listen(port, '127.0.0.1');
    await once(emulator.server, 'listening');
    return emulator;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
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
      return send(200, {
        transactionId: Math.floor(Math.random() * 1e9) + 1,
        errorCode: '000',
        message: 'SUCESSO',
        licensePlate: body.licensePlate, renavam: body.renavam, state: body.state,
        debts: [{
          debtId: randomUUID().toUpperCase(), description: `Licenciamento ${new Date().getFullYear()}`, amount: 1009.36,
          dueDate: `${new Date().getFullYear()}-12-28T00:00:00`, year: new Date().getFullYear(),
        } satisfies Debt],
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
      const payment = known ?? { paymentId: randomUUID().toUpperCase(), debtId: String(body.debtId), amount: Number(body.amount) };
      this.payments.set(key, payment);
      return send(200, {
        paymentId: payment.paymentId,
        errorCode: '000',
        message: 'Solicitação recebida com sucesso. Aguarde a resposta do processamento no webhook cadastrado.',
      });
    }
    send(404, { errorCode: '404', message: 'Rota não encontrada.' });
  }
}
