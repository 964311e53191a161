// `npm run bench:logs -- [--notifications N] [--held-share F] [--concurrency C] [--samples S] [--server dev|postgres]`
// G7/G8 at scale: one merchant URL with N notifications (default 100 000) raised through the REST API, most
// delivered and a share held while the URL is inactive; then the log's answers are timed with every filter, checked
// against what was raised, the portal's Logs page is timed the same way (issue 18), and the held ones are resent (G8)
// and timed until every one went out.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createAccount } from '../api/accounts';
import { createApp } from '../api/app';
import { createMailer } from '../lib/mailer';
import { loadConfig, requiredKey } from '../lib/config';
import { dataConverterOf } from '../lib/payloadCodec';
import { AddressPolicy } from '../lib/outbound';
import { prepareNamespace } from '../lib/namespace';
import { endpointExhaustedSignal, merchantWorkflowId } from '../workflows/contracts/merchant';
import { createWorker } from '../worker/createWorker';
import { benchKeys } from './keys';
import { BenchReceiver } from './receiver';
import { startBenchServer } from './server';
import { closedLoop, summarize } from './stats';

const { values: args } = parseArgs({
  options: {
    notifications: { type: 'string', default: '100000' },
    'held-share': { type: 'string', default: '0.1' },
    concurrency: { type: 'string', default: '48' },
    samples: { type: 'string', default: '30' },
    server: { type: 'string', default: 'dev' },
  },
});
const N = Number(args.notifications);
const HELD = Math.round(N * Number(args['held-share']));
const DELIVERED = N - HELD;
const C = Number(args.concurrency);
const SAMPLES = Number(args.samples);
const MERCHANT = 'bench-logs';
const ENDPOINT = 'gerencianetNotificationUrl';
const say = (line: string) => process.stdout.write(line + '\n');
const round = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfig({
    ...process.env, ...benchKeys(), TEMPORAL_TASK_QUEUE: 'arauto-bench-logs', LOG_LEVEL: 'warn',
    CALLBACK_ALLOWED_NETWORKS: '127.0.0.0/8',
  });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'arauto-bench-logs-'));
  const server = await startBenchServer(args.server, dataDir, config);
  const connection = await Connection.connect({ address: server.address });
  const dataConverter = dataConverterOf(config);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  await prepareNamespace(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_RETENTION_DAYS);
  const native = await NativeConnection.connect({ address: server.address });
  const worker = await createWorker({
    connection: native, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, client,
    mailer: createMailer(config), addressPolicy: AddressPolicy.allowing(config.CALLBACK_ALLOWED_NETWORKS),
    webhookSigningKey: requiredKey(config, 'WEBHOOK_SIGNING_KEY'), dataConverter, config,
  });
  const workerRun = worker.run();
  const receiver = await BenchReceiver.start();
  const api = createApp({ client, config }).listen(0, '127.0.0.1');
  await new Promise((r) => api.once('listening', r));
  const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  const [, apiKey] = await createAccount({ client, config }, MERCHANT);
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${apiKey.secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const expect = async (status: number, method: string, url: string, body?: unknown) => {
    const answer = await call(method, url, body);
    if (answer.status !== status) throw new Error(`${method} ${url}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const logUrl = `/v1/merchants/${MERCHANT}/endpoints/${ENDPOINT}/notifications`;
  const log = (filter: Record<string, string>) => expect(200, 'GET', `${logUrl}?${new URLSearchParams(filter)}`);
  const count = (filter: Record<string, string>) => client.workflow.count(
    [`ArautoMerchant = '${MERCHANT}'`, ...Object.entries(filter).map(([k, v]) => `${k} = '${v}'`)].join(' AND '),
  ).then((c) => c.count);
  const until = async (what: string, holds: () => Promise<boolean>, timeoutMs = 3_600_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await holds())) {
      if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  const trigger = (charge: string) =>
    expect(202, 'POST', `/v1/merchants/${MERCHANT}/charges/${charge}/status-changes`, { currentStatus: 'paid' });

  say(`# ${N} notifications to one URL (${DELIVERED} delivered, ${HELD} held), ${server.name}`);
  await expect(200, 'PUT', `/v1/merchants/${MERCHANT}/callback-urls`, { gerencianetNotificationUrl: receiver.url('/ok') });

  // 1. Raise them: delivered while the URL is active, then held while it is inactive (G5).
  const raiseStart = performance.now();
  const acceptedMs = await closedLoop(DELIVERED, C, async (i) => void (await trigger(`c${i}`)));
  await until('every delivery sent', async () => (await count({ ExecutionStatus: 'Completed' })) === DELIVERED);
  const deliveredMs = performance.now() - raiseStart;
  const periodMiddle = new Date().toISOString(); // everything before: delivered; after: held
  // The signal a delivery that used its last attempt sends (G4); one here stands for it.
  await client.workflow.getHandle(merchantWorkflowId(MERCHANT)).signal(endpointExhaustedSignal, {
    endpoint: ENDPOINT, url: receiver.url('/ok'), deliveryId: 'bench', deactivate: true, lastErrors: ['HTTP 503 (bench)'],
  });
  await until('URL inactive', async () =>
    (await expect(200, 'GET', `/v1/merchants/${MERCHANT}/endpoints`)).endpoints[ENDPOINT].status === 'inactive', 30_000);
  const heldMs = await closedLoop(HELD, C, async (i) => void (await trigger(`c${DELIVERED + i}`)));
  await until('every held one recorded', async () => (await count({ ArautoDeliveryStatus: 'held' })) === HELD);
  say(`raised: ${DELIVERED} accepted at ${round(DELIVERED / (acceptedMs / 1000))}/s and delivered at ` +
    `${round(DELIVERED / (deliveredMs / 1000))}/s; ${HELD} held at ${round(HELD / (heldMs / 1000))}/s; storage ${server.storageMb()} MB`);

  // 2. The log's answers, timed (ms per REST call), each checked.
  const timings: Record<string, ReturnType<typeof summarize>> = {};
  const timed = async (name: string, request: (i: number) => Promise<void>) => {
    const ms: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now();
      await request(i);
      ms.push(performance.now() - t0);
    }
    timings[name] = summarize(ms);
  };
  const check = (ok: boolean, what: string) => { if (!ok) throw new Error(`wrong answer: ${what}`); };
  await timed('first page (50), no filter', async () => check((await log({})).notifications.length === 50, 'page size'));
  await timed('sent=no, first page', async () => {
    check((await log({ sent: 'no' })).notifications.every((n: any) => !n.sent && n.status === 'held'), 'sent=no rows');
  });
  await timed('sent=yes, first page', async () => {
    check((await log({ sent: 'yes' })).notifications.every((n: any) => n.sent), 'sent=yes rows');
  });
  await timed('by charge number', async (i) => {
    const charge = `c${Math.floor((i / SAMPLES) * N)}`;
    const rows = (await log({ chargeId: charge })).notifications;
    check(rows.length === 1 && rows[0].chargeId === charge, `charge ${charge}`);
  });
  await timed('by period (held ones), first page', async () => {
    check((await log({ from: periodMiddle })).notifications.every((n: any) => n.status === 'held'), 'period');
  });
  let token: string | null = (await log({})).nextPageToken;
  await timed('next page by token (pages 2…)', async () => {
    const page = await log({ pageToken: token! });
    token = page.nextPageToken;
  });

  // 2b. The portal's Logs page (issue 18): the same listings rendered as HTML for a signed-in merchant, timed as the
  // HTTP request to this process's app over loopback (its server time, plus a loopback round trip).
  const cookie = await portalSession(base, apiKey.secret);
  const portalLogs = async (query: Record<string, string> | string) => {
    const url = typeof query === 'string' ? query : `/portal/integracoes/${ENDPOINT}/logs?${new URLSearchParams(query)}`;
    const res = await fetch(`${base}${url}`, { headers: { cookie }, redirect: 'manual' });
    const html = await res.text();
    check(res.status === 200, `portal ${url}: ${res.status}`);
    return {
      rows: html.match(/name="entrega"/g)?.length ?? 0,
      sent: html.match(/<td>sim<\/td>/g)?.length ?? 0,
      next: /<a href="([^"]+)" rel="next">/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? null,
    };
  };
  await timed('portal: first page (50), no filter', async () => check((await portalLogs({})).rows === 50, 'portal page size'));
  await timed('portal: cobrança (1 row)', async (i) => {
    check((await portalLogs({ cobranca: `c${Math.floor((i / SAMPLES) * N)}` })).rows === 1, 'portal charge');
  });
  await timed('portal: enviado=sim', async () => {
    const page = await portalLogs({ enviado: 'sim' });
    check(page.rows === 50 && page.sent === 50, 'portal enviado=sim');
  });
  await timed('portal: enviado=nao', async () => {
    const page = await portalLogs({ enviado: 'nao' });
    check(page.rows === Math.min(50, HELD) && page.sent === 0, 'portal enviado=nao');
  });
  // De: the whole second after the URL went inactive, in Brasília time (UTC-3), as the form's datetime-local holds it.
  const de = new Date(Math.ceil(Date.parse(periodMiddle) / 1000) * 1000 - 3 * 3_600_000).toISOString().slice(0, 19);
  await timed('portal: período (De), held ones', async () => check((await portalLogs({ de })).sent === 0, 'portal period'));
  let next: string | null = (await portalLogs({})).next;
  await timed('portal: próxima página (pages 2…)', async () => {
    const page = await portalLogs(next!);
    check(page.rows === 50, 'portal next page');
    next = page.next;
  });
  const refused = await call('POST', `/v1/merchants/${MERCHANT}/endpoints/${ENDPOINT}/resends`, {});
  check(refused.body.error === 'endpoint_inactive', 'resend refused while inactive');
  const walkStart = performance.now();
  const seen = new Set<string>();
  let pages = 0;
  for (let next: string | null = ''; next !== null; pages++) {
    const page: any = await log({ sent: 'no', pageSize: '1000', ...(next ? { pageToken: next } : {}) });
    for (const n of page.notifications) seen.add(n.chargeId);
    next = page.nextPageToken;
  }
  const walkMs = performance.now() - walkStart;
  check(seen.size === HELD, `walked ${seen.size} held rows of ${HELD}`);

  // 3. Reactivate and resend every held one (G8): preview, confirm, until all went out.
  await expect(200, 'POST', `/v1/merchants/${MERCHANT}/endpoints/${ENDPOINT}/activation`);
  const resendUrl = `/v1/merchants/${MERCHANT}/endpoints/${ENDPOINT}/resends`;
  await timed('resend preview (two counts)', async () => {
    const preview = await expect(200, 'POST', resendUrl, {});
    check(preview.count === HELD && preview.alreadySent === DELIVERED, `preview ${JSON.stringify(preview)}`);
  });
  const t0 = performance.now();
  const started = await expect(202, 'POST', resendUrl, { confirmCount: HELD });
  await until('resend signalled', async () =>
    (await expect(200, 'GET', `/v1/merchants/${MERCHANT}/resends/${started.resendId}`)).state !== 'running');
  const signalledMs = performance.now() - t0;
  await until('every resent one delivered', async () => (await count({ ExecutionStatus: 'Completed' })) === N);
  const resentMs = performance.now() - t0;

  const result = {
    setup: { notifications: N, delivered: DELIVERED, held: HELD, server: server.name, cores: os.cpus().length },
    raisedPerS: { accepted: round(DELIVERED / (acceptedMs / 1000)), delivered: round(DELIVERED / (deliveredMs / 1000)), held: round(HELD / (heldMs / 1000)) },
    timingsMs: timings,
    walk: { rows: HELD, pages, ms: Math.round(walkMs) },
    resend: { count: HELD, signalledS: round(signalledMs / 1000), allDeliveredS: round(resentMs / 1000) },
    storageMb: server.storageMb(),
  };
  say('| call | p50 ms | p95 ms | max ms |\n|---|---|---|---|');
  for (const [name, s] of Object.entries(timings)) say(`| ${name} | ${s.p50} | ${s.p95} | ${s.max} |`);
  say(`walk of every not-sent row (sent=no, pages of 1000): ${HELD} rows in ${pages} pages, ${Math.round(walkMs)} ms`);
  say(`resend of ${HELD}: all signalled after ${round(signalledMs / 1000)} s; all delivered after ${round(resentMs / 1000)} s`);
  say(JSON.stringify(result));

  api.close();
  await receiver.stop();
  worker.shutdown();
  await workerRun;
  await native.close();
  await connection.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

/** A portal session's cookie, opened as a provider's dashboard does: a link from the API, its button pressed. */
async function portalSession(base: string, apiKey: string): Promise<string> {
  const link = await fetch(`${base}/v1/merchants/${MERCHANT}/portal-sessions`, {
    method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: '{}',
  });
  const token = new URL(((await link.json()) as { url: string }).url).searchParams.get('token')!;
  const opened = await fetch(`${base}/portal/acesso`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
  const cookie = opened.headers.get('set-cookie')?.split(';')[0];
  if (opened.status !== 303 || !cookie) throw new Error(`portal sign-in: ${opened.status}`);
  return cookie;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
