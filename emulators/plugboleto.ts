// A PlugBoleto stand-in that follows seed 002 (P1–P6), for `npm start`'s demo and the tests: it takes a return file
// and answers a protocol, keeps it PROCESSANDO for a time that grows with the file, then PROCESSADO with the seed's
// field names and Brazilian formats; refuses wrong credentials; answers boleto status by idIntegracao; and fails
// transiently on demand. It always knows seed 002's two example answers (plugboletoSeedExamples.ts). Its clock is
// injectable, so that under Temporal's time skipping it reads the test server's.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SEED_EXAMPLE_ANSWERS, SEED_EXAMPLE_BOLETOS } from './plugboletoSeedExamples';

export interface EmulatedTitle {
  idIntegracao: string;
  cedentecpfcnpj?: string;
  /** The boleto's status when queried (P6). */
  situacao: 'PAGO' | 'EMITIDO' | 'REJEITADO' | 'BAIXADO';
}

export interface EmulatedReturn {
  cnpjCedente: string;
  titulos: EmulatedTitle[];
  /** Kept as the seed writes them (PascalCase, Brazilian formats). */
  titulosNaoConciliados: Record<string, unknown>[];
  /** How long it stays PROCESSANDO, counted from when it was submitted. */
  processingMs: number;
}

export interface LoggedRequest {
  /** The emulator's clock (the test server's under time skipping). */
  at: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

/** P2's two header modes, per cedente. */
export type Credential = { cnpjSh: string; tokenSh: string } | { tokenCedente: string };

export interface EmulatorOptions {
  credentials: Record<string, Credential>;
  now?: () => Promise<number> | number;
  /** PROCESSANDO time per byte of an uploaded file. */
  msPerByte?: number;
}

export class PlugBoletoEmulator {
  readonly requests: LoggedRequest[] = [];
  private readonly returns = new Map<string, EmulatedReturn & { submittedAt: number }>();
  private readonly boletos = new Map<string, EmulatedTitle>(SEED_EXAMPLE_BOLETOS.map((b) => [b.idIntegracao, { ...b }]));
  private failures: ('503' | 'reset')[] = [];
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  private constructor(private readonly options: EmulatorOptions) {}

  static async start(options: EmulatorOptions, port = 0): Promise<PlugBoletoEmulator> {
    const emulator = new PlugBoletoEmulator(options);
    emulator.server.listen(port, '127.0.0.1');
    await once(emulator.server, 'listening');
    return emulator;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A return as if uploaded now; answers its protocol. */
  async submit(file: EmulatedReturn): Promise<string> {
    const protocolo = randomUUID();
    this.returns.set(protocolo, { ...file, submittedAt: await this.now() });
    for (const t of file.titulos) this.boletos.set(t.idIntegracao, t);
    return protocolo;
  }

  /** The next requests fail this way, in order (then it answers normally again). */
  failNext(...failures: ('503' | 'reset')[]): void {
    this.failures.push(...failures);
  }

  pollsOf(protocolo: string): LoggedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/retornos/${protocolo}`);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async now(): Promise<number> {
    return (await this.options.now?.()) ?? Date.now();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);
    const at = await this.now();
    this.requests.push({ at, method: req.method ?? '', path: url.pathname, headers: req.headers });
    const failure = this.failures.shift();
    if (failure === 'reset') return void req.socket.destroy();
    const send = (status: number, json: unknown): void =>
      void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(json));
    if (failure === '503') return send(503, { _status: 'erro', _mensagem: 'Serviço indisponível' });

    const cnpjCedente = String(req.headers['cnpj-cedente'] ?? '');
    if (!this.authorized(req.headers, cnpjCedente)) {
      return send(401, { _status: 'erro', _mensagem: 'Falha na autenticação: verifique os headers cnpj-sh, token-sh, cnpj-cedente.' });
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/retornos') return send(200, await this.upload(cnpjCedente, body));
    const protocol = /^\/api\/v1\/retornos\/([^/]+)$/.exec(url.pathname)?.[1];
    if (req.method === 'GET' && protocol) return send(200, this.answer(decodeURIComponent(protocol), cnpjCedente, at));
    if (req.method === 'GET' && url.pathname === '/api/v1/boletos') {
      const boleto = this.boletos.get(url.searchParams.get('idintegracao') ?? '');
      return boleto
        ? send(200, { _status: 'sucesso', _dados: [{ idintegracao: boleto.idIntegracao, situacao: boleto.situacao }] })
        : send(200, { _status: 'erro', _mensagem: 'Boleto não encontrado.' });
    }
    send(404, { _status: 'erro', _mensagem: 'Rota não encontrada.' });
  }

  private authorized(headers: http.IncomingHttpHeaders, cnpjCedente: string): boolean {
    const known = this.options.credentials[cnpjCedente];
    if (!known) return false;
    return 'tokenSh' in known
      ? headers['cnpj-sh'] === known.cnpjSh && headers['token-sh'] === known.tokenSh
      : headers['token-cedente'] === known.tokenCedente;
  }

  /**
   * The emulator's return-file format (a real CNAB parser is out of its scope): `{"arquivo": base64}` whose lines are
   * `T;<idIntegracao>;<PAGO|EMITIDO…>[;<cedentecpfcnpj>]`. Processing takes `msPerByte` per byte of the file.
   */
  private async upload(cnpjCedente: string, body: Buffer) {
    let text: string;
    try {
      text = Buffer.from(JSON.parse(body.toString()).arquivo, 'base64').toString('utf8');
    } catch {
      return { _status: 'erro', _mensagem: 'Arquivo inválido: envie {"arquivo": "<base64>"}.' };
    }
    const titulos = text.split(/\r?\n/).filter((l) => l.startsWith('T;')).map((line): EmulatedTitle => {
      const [, idIntegracao, situacao, cedentecpfcnpj] = line.split(';');
      return { idIntegracao, situacao: (situacao as EmulatedTitle['situacao']) || 'PAGO', ...(cedentecpfcnpj ? { cedentecpfcnpj } : {}) };
    });
    const protocolo = await this.submit({
      cnpjCedente, titulos, titulosNaoConciliados: [], processingMs: text.length * (this.options.msPerByte ?? 50),
    });
    return { _status: 'sucesso', _dados: { protocolo } };
  }

  private answer(protocolo: string, cnpjCedente: string, at: number) {
    if (SEED_EXAMPLE_ANSWERS[protocolo]) return SEED_EXAMPLE_ANSWERS[protocolo]; // to any cedente it authenticates
    const file = this.returns.get(protocolo);
    if (!file || file.cnpjCedente !== cnpjCedente) return { _status: 'erro', _mensagem: 'Retorno não encontrado.' };
    if (at < file.submittedAt + file.processingMs) {
      return { _status: 'sucesso', _mensagem: 'Solicitação pendente de processamento', _dados: { situacao: 'PROCESSANDO' } };
    }
    return {
      _status: 'sucesso',
      _dados: {
        situacao: 'PROCESSADO',
        mensagem: '',
        processados: file.titulos.length,
        titulos: file.titulos.map(({ idIntegracao, cedentecpfcnpj }) => ({ idIntegracao, ...(cedentecpfcnpj ? { cedentecpfcnpj } : {}) })),
        titulosNaoConciliados: file.titulosNaoConciliados,
      },
    };
  }
}
