// `npm run bench -- [--deliveries N] [--concurrency C] [--latency N] [--timers N] [--parked N] [--hanging N]
//                   [--trials N] [--server dev|postgres] [--workers N] [--api-worker] [--metrics] [--tracing]`
// Every scenario of the delivery path in one run, on one Temporal server and its workers (one process by default;
// `--workers N` runs N on the same task queue, as `--scale worker=N` does), so ratios hold. `--api-worker` makes
// the first worker process the API's too (API_RUNS_WORKER): workflows start eagerly on its connection; the load
// generator and the receiver stay in this process. `--metrics` turns each worker's /metrics on (Arauto's and the
// SDK's, WORKER_METRICS_PORT) and scrapes it every BENCH_SCRAPE_S seconds (5), as Prometheus would: its cost against
// a run without, CPU per delivery (docs/performance.md). Arauto's counters count either way (a Map update each).
// `--tracing` turns OpenTelemetry traces on in the API and the workers, exported to a collector in this process
// that drops them (bench/otlpSink.ts).
// The server: the dev server (SQLite file) by default; `--server postgres` a temporal-server on PostgreSQL
// (`npm run provision:postgres` first); with TEMPORAL_ADDRESS set, that server and nothing spawned.
import { fork, execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createAccount } from '../api/accounts';
import { createApp } from '../api/app';
import { loadConfig, type Config } from '../lib/config';
import { prepareNamespace } from '../lib/namespace';
import { freePort } from '../lib/freePort';
import { dataConverterOf } from '../lib/payloadCodec';
import { benchKeys } from './keys';
import { BenchReceiver } from './receiver';
import { startOtlpSink } from './otlpSink';
import { startTracing, stopTracing, tracingClientInterceptors } from '../lib/tracing';
import { startBenchServer } from './server';
import { treeCpuMs, treeMemoryMb } from './resources';
import { closedLoop, openLoop, summarize } from './stats';
import { NOOP_TASK_QUEUE } from './noopActivities';
import type { BenchRequest } from './worker';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
import { deliveryStateQuery } from '../workflows/contracts/deliverCallback';

const { values: args } = parseArgs({
  options: {
    deliveries: { type: 'string', default: '800' },
    concurrency: { type: 'string', default: '32' },
    latency: { type: 'string', default: '300' },
    timers: { type: 'string', default: '1000' },
    parked: { type: 'string', default: '2000' },
    hanging: { type: 'string', default: '300' },
    trials: { type: 'string', default: '2' },
    server: { type: 'string', default: 'dev' },
    workers: { type: 'string', default: '1' },
    'api-worker': { type: 'boolean', default: false },
    metrics: { type: 'boolean', default: false },
    tracing: { type: 'boolean', default: false },
  },
});
const N = Number(args.deliveries);
const C = Number(args.concurrency);
const LATENCY_N = Number(args.latency);
const TIMERS = Number(args.timers);
const PARKED = Number(args.parked);
const HANGING = Number(args.hanging);
const TRIALS = Number(args.trials);
const WORKERS = Number(args.workers);
const API_WORKER = args['api-worker'];
if (API_WORKER && WORKERS < 1) throw new Error('--api-worker needs a worker process (--workers 1 or more)');
const HANG_TIMEOUT_MS = 5000;
const TASK_QUEUE = 'arauto-bench';
const run = Date.now().toString(36);
const results: Record<string, unknown> = {};

const EventType = temporal.api.enums.v1.EventType;
const say = (line: string) => process.stdout.write(line + '\n');
/** performance.now() of this process as epoch ms, comparable with the workflow's recorded times. */
const wallClock = (at: number) => performance.timeOrigin + at;

async function main(): Promise<void> {
  // The receivers listen on loopback.
  const keys = benchKeys();
  const otlp = args.tracing ? await startOtlpSink() : undefined;
  const tracingEnv = otlp ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url } : {};
  const baseConfig = loadConfig({
    ...process.env, ...keys, TEMPORAL_TASK_QUEUE: TASK_QUEUE, CALLBACK_ALLOWED_NETWORKS: '127.0.0.0/8', ...tracingEnv,
  });
  startTracing(baseConfig, 'arauto-api'); // the API runs in this process (unless --api-worker)
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'arauto-bench-'));
  const server = await startBenchServer(args.server, dataDir, baseConfig);
  const { address } = server;

  /** Runs `work` (n items) and reports the CPU ms each item cost the server, the worker and this process. */
  const cpuPerItem = async <T>(n: number, work: () => Promise<T>): Promise<[T, Record<string, number>]> => {
    const serverCpu = () => server.pids.reduce<number>((ms, pid) => ms + treeCpuMs(pid), 0);
    const workersCpu = () => workers.reduce<number>((ms, w) => ms + treeCpuMs(w.pid), 0);
    const before = { server: serverCpu(), worker: workersCpu(), self: process.cpuUsage() };
    const result = await work();
    const self = process.cpuUsage(before.self);
    const serverMs = (serverCpu() - before.server) / n;
    const workerMs = (workersCpu() - before.worker) / n;
    const selfMs = (self.user + self.system) / 1000 / n;
    return [result, {
      total: round(serverMs + workerMs + selfMs), server: round(serverMs), worker: round(workerMs), apiAndClient: round(selfMs),
    }];
  };
  const metricsPorts = args.metrics ? await Promise.all(Array.from({ length: WORKERS }, () => freePort())) : [];
  const workers = Array.from({ length: WORKERS }, (_, worker) => fork(path.join(__dirname, 'worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: TASK_QUEUE, LOG_LEVEL: 'warn',
      CALLBACK_ALLOWED_NETWORKS: '127.0.0.0/8', ...keys, ...tracingEnv,
      BENCH_API_IN_WORKER: String(API_WORKER && worker === 0),
      ...(args.metrics ? { WORKER_METRICS_PORT: String(metricsPorts[worker]) } : {}),
    },
  }));
  const [ready] = await Promise.all(workers.map((worker) => new Promise<any>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
  })));

  const scraper = scrapeEvery(Number(process.env.BENCH_SCRAPE_S ?? 5) * 1000, metricsPorts);
  const connection = await Connection.connect({ address });
  const client = new Client({
    connection, namespace: baseConfig.TEMPORAL_NAMESPACE, dataConverter: dataConverterOf(baseConfig),
    interceptors: tracingClientInterceptors(),
  });
  await prepareNamespace(connection, baseConfig.TEMPORAL_NAMESPACE, baseConfig.TEMPORAL_RETENTION_DAYS);
  const receiver = await BenchReceiver.start();
  const apis: Server[] = [];
  /** The API-and-worker process answers an IPC request (bench/worker.ts). */
  let requests = 0;
  const ask = <T>(request: DistributiveOmit<BenchRequest, 'id'>) => new Promise<T>((resolve) => {
    const id = ++requests;
    const listener = (m: any) => { if (m?.id === id) { workers[0].off('message', listener); resolve(m); } };
    workers[0].on('message', listener);
    workers[0].send({ ...request, id });
  });
  const startApi = async (divisor: number, attemptTimeoutMs = baseConfig.CALLBACK_TIMEOUT_MS): Promise<string> => {
    if (API_WORKER) return (await ask<{ url: string }>({ type: 'api', divisor, attemptTimeoutMs })).url;
    const config: Config = { ...baseConfig, RETRY_DELAY_DIVISOR: divisor, CALLBACK_TIMEOUT_MS: attemptTimeoutMs };
    const api = createApp({ client, config }).listen(0, '127.0.0.1');
    await new Promise((r) => api.once('listening', r));
    apis.push(api);
    return `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  };
  // Each bench merchant is an account; its API key authenticates its calls, as a merchant's script would.
  const apiKeys = new Map<string, string>();
  const auth = (merchant: string) => ({ authorization: `Bearer ${apiKeys.get(merchant)}`, 'content-type': 'application/json' });
  const post = async (url: string, merchant: string, body: unknown) => {
    const res = await fetch(url, { method: 'POST', headers: auth(merchant), body: JSON.stringify(body) });
    const json: any = await res.json();
    if (res.status !== 202) throw new Error(`trigger answered ${res.status}: ${JSON.stringify(json)}`);
    return json as { token: string; deliveryId: string };
  };
  const register = async (api: string, merchant: string, urlPath: string) => {
    if (!apiKeys.has(merchant)) apiKeys.set(merchant, (await createAccount({ client, config: baseConfig }, merchant))[1].secret);
    return fetch(`${api}/v1/merchants/${merchant}/callback-urls`, {
      method: 'PUT', headers: auth(merchant), body: JSON.stringify({ gerencianetNotificationUrl: receiver.url(urlPath) }),
    });
  };
  /**
   * Until none of the merchant's deliveries runs: a delivery whose POST has arrived may still be recording its
   * outcome (an activity's completion and a workflow task), work that must not spill into the next scenario.
   */
  const settled = async (merchantId: string) => {
    const query = `WorkflowType = 'deliverCallback' AND ArautoMerchant = '${merchantId}' AND ExecutionStatus = 'Running'`;
    while ((await client.workflow.count(query)).count > 0) await new Promise((r) => setTimeout(r, 100));
  };
  const trigger = (api: string, merchant: string, charge: string) => post(
    `${api}/v1/merchants/${merchant}/charges/${charge}/status-changes`, merchant, { previousStatus: 'waiting', currentStatus: 'paid' },
  );

  const setup = {
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
    temporal: server.name,
    worker: { processes: WORKERS, firstIsApiProcess: API_WORKER, ...ready.tuning, workflowThreadPoolSize: 'SDK default' },
    tracing: otlp ? 'on (OTLP/HTTP to a collector that drops)' : 'off',
    commit: (() => { try { return execSync('git rev-parse --short HEAD', { cwd: __dirname }).toString().trim(); } catch { return 'unknown'; } })(),
    metrics: args.metrics ? { scrapeEverySeconds: Number(process.env.BENCH_SCRAPE_S ?? 5) } : 'off',
    sizes: { deliveries: N, concurrency: C, latency: LATENCY_N, timers: TIMERS, parked: PARKED, hanging: HANGING, trials: TRIALS },
  };
  results.setup = setup;
  say(`# Arauto delivery benchmarks\n${JSON.stringify(setup, null, 2)}\n`);

  const api = await startApi(1);
  const merchant = (name: string) => `bench-${name}-${run}`;
  await register(api, merchant('ok'), '/ok');
  // Warm-up: worker bundle loaded, connections open, caches filled.
  await closedLoop(Math.min(200, N), C, async (i) => void (await trigger(api, merchant('ok'), `warm-${i}`)));
  await receiver.until('/ok', Math.min(200, N), 120_000);
  await settled(merchant('ok'));

  // 6. Raw HTTP floor: the same receiver, the same HTTP client, the same concurrency.
  const rawMs = await closedLoop(N, C, async (i) => {
    const res = await fetch(receiver.url('/raw'), {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `notification=raw-${i}`,
    });
    await res.arrayBuffer();
  });
  const rawRate = N / (rawMs / 1000);

  // 1. Engine bound: a bare workflow with one no-op activity, started and awaited by the client; and the
  // same with a local activity, the shape of a delivery attempt.
  const bound = async (workflowType: string, trial: number) => {
    const prefix = `bench-${workflowType}-${run}-${trial}`;
    const ms = API_WORKER
      ? (await ask<{ ms: number }>({ type: 'bound', workflowType, prefix, n: N, concurrency: C })).ms
      : await closedLoop(N, C, async (i) => {
        await client.workflow.execute(workflowType, { taskQueue: NOOP_TASK_QUEUE, workflowId: `${prefix}-${i}` });
      });
    return N / (ms / 1000);
  };

  // 2. Delivery throughput through the REST API, until the receiver has every POST.
  const throughput = async (label: string) => {
    const before = receiver.count('/ok');
    const started = performance.now();
    const triggerMs = await closedLoop(N, C, async (i) => void (await trigger(api, merchant('ok'), `${label}-${i}`)));
    await receiver.until('/ok', before + N, 600_000);
    const ms = performance.now() - started;
    await settled(merchant('ok')); // the outcomes recorded too: their CPU is part of a delivery's
    return { deliveriesPerSec: round(N / (ms / 1000)), triggersPerSec: round(N / (triggerMs / 1000)) };
  };

  // 1, 1b and 2 in turn, TRIALS times; each keeps its best trial (a ceiling is the best the machine did),
  // and a slow spell of the machine hits all three alike.
  type Trial<T> = [T, Record<string, number>];
  type Throughput = Awaited<ReturnType<typeof throughput>>;
  let best: { bound?: Trial<number>; local?: Trial<number>; delivery?: Trial<Throughput> } = {};
  for (let trial = 0; trial < TRIALS; trial++) {
    const b = await cpuPerItem(N, () => bound('noopWorkflow', trial));
    const l = await cpuPerItem(N, () => bound('noopLocalWorkflow', trial));
    const d = await cpuPerItem(N, () => throughput(`tp${trial}`));
    best = {
      bound: !best.bound || b[0] > best.bound[0] ? b : best.bound,
      local: !best.local || l[0] > best.local[0] ? l : best.local,
      delivery: !best.delivery || d[0].deliveriesPerSec > best.delivery[0].deliveriesPerSec ? d : best.delivery,
    };
  }
  const [boundRate, boundCpu] = best.bound!;
  const [localBoundRate, localBoundCpu] = best.local!;
  const [delivery, deliveryCpu] = best.delivery!;

  // 3. Latency at half the delivery rate: trigger's HTTP response → receiver sees the POST.
  const halfRate = delivery.deliveriesPerSec / 2;
  const answered = new Map<string, number>();
  const latencyBase = receiver.count('/ok');
  await openLoop(LATENCY_N, halfRate, async (i) => {
    const { token } = await trigger(api, merchant('ok'), `lat-${i}`);
    answered.set(token, performance.now());
  });
  await receiver.until('/ok', latencyBase + LATENCY_N, 60_000);
  await settled(merchant('ok'));
  const latencies = [...answered].map(([token, at]) => receiver.arrivals.get('/ok')!.get(token)![0] - at);
  const latency = { ratePerSec: round(halfRate), ms: summarize(latencies) };

  // Events per successful delivery, from one history.
  const sample = await trigger(api, merchant('ok'), `events-${run}`);
  await client.workflow.getHandle(sample.deliveryId).result();
  const history = await client.workflow.getHandle(sample.deliveryId).fetchHistory();
  const eventsPerDelivery = history.events?.length ?? 0;
  const historyBytes = (await client.workflow.getHandle(sample.deliveryId).describe()).historySize;
  const eventTypes = (history.events ?? []).map((e) => EventType[e.eventType ?? 0].replace(/^EVENT_TYPE_/, ''));

  // 4. Retry timer accuracy: TIMERS deliveries all waiting on their first retry at once. Triggered at half
  // the delivery rate, as (3), so that the retries come due at a rate the engine keeps up with: what is
  // measured is the timers, not a backlog. The retry comes after every delivery has made its first attempt.
  const gapMs = Math.ceil((TIMERS / halfRate) * 1000) + 20_000;
  const timersApi = await startApi(60_000 / gapMs); // gerencianet's first retry (1 min) becomes gapMs
  await register(timersApi, merchant('flaky'), '/flaky');
  const timerDeliveries: { token: string; deliveryId: string }[] = [];
  await openLoop(TIMERS, halfRate, async (i) => void timerDeliveries.push(await trigger(timersApi, merchant('flaky'), `timer-${i}`)));
  await receiver.until('/flaky', 2 * TIMERS, gapMs + 600_000);
  // Lateness against the schedule the workflow recorded: the retry was due at attempt 1's time + gapMs.
  const lateness: number[] = [];
  await closedLoop(timerDeliveries.length, C, async (i) => {
    const { token, deliveryId } = timerDeliveries[i];
    const state = await client.workflow.getHandle(deliveryId).query(deliveryStateQuery);
    const dueAt = Date.parse(state.attempts[0].at) + gapMs;
    lateness.push(wallClock(receiver.arrivals.get('/flaky')!.get(token)![1]) - dueAt);
  });
  const timers = { waiting: TIMERS, retryAfterMs: gapMs, latenessMs: summarize(lateness) };

  // 5. Parked scale: PARKED deliveries waiting on a retry days away; memory, disk, and (2) again.
  const resources = () => ({
    workerMb: workers.reduce<number>((mb, w) => mb + (treeMemoryMb(w.pid) ?? 0), 0),
    serverMb: server.pids.reduce<number>((mb, pid) => mb + (treeMemoryMb(pid) ?? 0), 0),
    storageMb: server.storageMb(),
  });
  const idle = resources();
  const parkedApi = await startApi(1 / 10_000); // first retry in 10 000 minutes
  await register(parkedApi, merchant('down'), '/down');
  const parkMs = await closedLoop(PARKED, C, async (i) => void (await trigger(parkedApi, merchant('down'), `park-${i}`)));
  await receiver.until('/down', PARKED, 600_000);
  const parkedState = resources();
  const deliveryWhileParked = await throughput('tp-parked');
  const parked = {
    waiting: PARKED, parkPerSec: round(PARKED / (parkMs / 1000)), idle, parked: parkedState, deliveryWhileParked,
    ratioToUnparked: round(deliveryWhileParked.deliveriesPerSec / delivery.deliveriesPerSec),
  };

  // 7. Hanging receivers: HANGING deliveries whose receiver accepts and never answers, each attempt
  // timing out after HANG_TIMEOUT_MS. How many attempts the worker keeps in flight bounds the attempt rate.
  const hangApi = await startApi(1 / 10_000, HANG_TIMEOUT_MS); // no retry within the run
  await register(hangApi, merchant('hang'), '/hang');
  const hangStarted = performance.now();
  await closedLoop(HANGING, C, async (i) => void (await trigger(hangApi, merchant('hang'), `hang-${i}`)));
  await receiver.until('/hang', HANGING, 600_000);
  const hangMs = performance.now() - hangStarted;
  const hanging = {
    deliveries: HANGING, attemptTimeoutMs: HANG_TIMEOUT_MS, peakInFlight: receiver.peakHanging,
    firstAttemptsPerSec: round(HANGING / (hangMs / 1000)),
  };

  Object.assign(results, {
    engineBound: {
      workflowsPerSec: round(boundRate), cpuMsPerWorkflow: boundCpu,
      withLocalActivityPerSec: round(localBoundRate), withLocalActivityCpuMsPerWorkflow: localBoundCpu,
    },
    deliveryThroughput: {
      ...delivery,
      ratioToEngineBound: round(delivery.deliveriesPerSec / boundRate),
      ratioToLocalActivityBound: round(delivery.deliveriesPerSec / localBoundRate),
      cpuMsPerDelivery: deliveryCpu,
      cpuRatioToEngineBound: round(deliveryCpu.total / boundCpu.total),
    },
    latency,
    retryTimers: timers,
    parked,
    hangingReceivers: hanging,
    rawHttpFloor: { postsPerSec: round(rawRate) },
    eventsPerSuccessfulDelivery: eventsPerDelivery,
    eventTypes,
    historyBytesPerSuccessfulDelivery: historyBytes,
  });

  const cpu = (c: Record<string, number>) => API_WORKER
    ? `CPU ms each: ${c.total} (server ${c.server}, API + worker ${c.worker}, load ${c.apiAndClient})`
    : `CPU ms each: ${c.total} (server ${c.server}, worker ${c.worker}, API + load ${c.apiAndClient})`;
  say('| scenario | figure |');
  say('|---|---|');
  say(`| 1. engine bound (no-op workflow + activity) | ${round(boundRate)} workflows/s; ${cpu(boundCpu)} |`);
  say(`| 1b. same with a local activity (a delivery's shape) | ${round(localBoundRate)} workflows/s; ${cpu(localBoundCpu)} |`);
  say(`| 2. delivery throughput via REST | ${delivery.deliveriesPerSec} deliveries/s (ratio to 1: ${round(delivery.deliveriesPerSec / boundRate)}, to 1b: ${round(delivery.deliveriesPerSec / localBoundRate)}); triggers ${delivery.triggersPerSec}/s; ${cpu(deliveryCpu)}, ${round(deliveryCpu.total / boundCpu.total)}× the engine bound's |`);
  say(`| 3. latency at ${latency.ratePerSec}/s, response → POST | p50 ${latency.ms.p50} ms, p95 ${latency.ms.p95} ms, p99 ${latency.ms.p99} ms, max ${latency.ms.max} ms |`);
  say(`| 4. retry lateness, ${TIMERS} waiting (retry after ${gapMs} ms) | p50 ${timers.latenessMs.p50} ms, p99 ${timers.latenessMs.p99} ms, max ${timers.latenessMs.max} ms |`);
  say(`| 5. ${PARKED} parked: worker / server memory (PSS) / storage | ${idle.workerMb} → ${parkedState.workerMb} MB / ${idle.serverMb} → ${parkedState.serverMb} MB / ${idle.storageMb} → ${parkedState.storageMb} MB |`);
  say(`| 5. delivery throughput while parked | ${deliveryWhileParked.deliveriesPerSec} deliveries/s (ratio to unparked: ${parked.ratioToUnparked}) |`);
  say(`| 6. raw HTTP floor | ${round(rawRate)} POSTs/s |`);
  say(`| 7. ${HANGING} receivers that never answer (timeout ${HANG_TIMEOUT_MS} ms) | ${hanging.peakInFlight} attempts in flight at most; all first attempts made in ${round(hangMs / 1000)} s |`);
  say(`| events per successful delivery | ${eventsPerDelivery} (${historyBytes} bytes of history) |`);
  say('\n```json\n' + JSON.stringify(results, null, 2) + '\n```');

  scraper.stop();
  for (const a of apis) a.close();
  await connection.close();
  await Promise.all(workers.map((worker) => {
    worker.kill('SIGINT');
    return new Promise((r) => worker.once('exit', r));
  }));
  await receiver.stop();
  await stopTracing();
  if (otlp) say(`\ntraces: ${JSON.stringify(otlp.stats())} (exports received by the collector, all processes)`);
  await otlp?.stop();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/** Prometheus' part: a GET of each worker's /metrics every `ms`, its text read and dropped. */
function scrapeEvery(ms: number, ports: number[]): { stop(): void } {
  const timer = setInterval(() => {
    for (const port of ports) void fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => undefined);
  }, ms);
  return { stop: () => clearInterval(timer) };
}
