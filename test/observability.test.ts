// Issue 19: the Grafana dashboard and the Prometheus alert rules of deploy/, checked by a real Prometheus. promtool
// checks the rules and runs each alert against the failure it is for; then Prometheus (Debian's package) scrapes a
// running stack's worker and API while a scenario makes data (deliveries on the first attempt and after a retry, a
// URL deactivated, notifications held, the URL reactivated), and every query of every dashboard panel and every alert
// expression is asked of its HTTP API: each returns data, or is listed below with the reason it is valid and empty.
// Without Prometheus the test is skipped with a message, except under CI=true, where that is a failure.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import { freePort } from '../lib/freePort';
import { eventually } from './support/eventually';
import { Receiver } from './support/receiver';
import { Stack } from './support/stack';

const root = path.resolve(__dirname, '..');
const RULES = path.join(root, 'deploy/prometheus/arauto-rules.yml');
const DASHBOARD = path.join(root, 'deploy/grafana/arauto-dashboard.json');

const which = (cmd: string) => {
  const found = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
};
const prometheusBin = process.env.PROMETHEUS_BIN ?? which('prometheus');
const promtoolBin = process.env.PROMTOOL_BIN ?? which('promtool');
const missing = prometheusBin && promtoolBin
  ? undefined
  : 'No Prometheus here: apt-get install prometheus (Debian\'s package, with promtool; .ci/run installs it)';
const skip = !process.env.CI && missing;
const needsPrometheus = () => { if (missing) assert.fail(missing); }; // in CI a missing Prometheus is a failure

interface Rule { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
const rules: Rule[] = YAML.parse(readFileSync(RULES, 'utf8')).groups.flatMap((g: { rules: Rule[] }) => g.rules);
const alerts = rules.filter((r) => r.alert);

interface Target { expr: string; refId: string }
interface Panel { type: string; title: string; datasource?: { type: string; uid: string }; targets?: Target[]; panels?: Panel[] }
const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
const panels: Panel[] = dashboard.panels.flatMap((p: Panel) => [p, ...(p.panels ?? [])]).filter((p: Panel) => p.type !== 'row');
const panelQueries = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ name: `panel "${p.title}" ${t.refId}`, expr: t.expr })));

/**
 * Alert expressions that are valid and, in a healthy scenario, empty: they compare a signal with a threshold only a
 * failure crosses. Each names that signal, a part of the expression that must return data here (so its metric names
 * and labels are right), and the promtool test below shows the alert firing on the failure.
 */
const EMPTY_WHEN_HEALTHY: Record<string, { reason: string; signal: string }> = {
  ArautoFirstAttemptSuccessLow: {
    reason: 'fires with at least 20 deliveries finished in 30 minutes; the scenario finishes a handful',
    signal: 'sum by (provider) (increase(arauto_deliveries_finished_total[30m]))',
  },
  ArautoWorkflowTaskScheduleToStartHigh: {
    reason: 'fires when workflow tasks wait over 2 s (p95) for a worker; the scenario\'s worker keeps up',
    signal: 'histogram_quantile(0.95, sum by (le, task_queue) (rate(temporal_workflow_task_schedule_to_start_latency_seconds_bucket[5m])))',
  },
  ArautoActivityScheduleToStartHigh: {
    reason: 'fires when attempts wait over 5 s (p95) for a worker slot; the scenario\'s worker has slots to spare',
    signal: 'histogram_quantile(0.95, sum by (le, task_queue) (rate(temporal_activity_schedule_to_start_latency_seconds_bucket[5m])))',
  },
  ArautoWorkerDown: {
    reason: 'fires when the worker\'s /metrics does not answer; it answers throughout',
    signal: 'up{job="arauto-worker"}',
  },
  ArautoWorkerNotPolling: {
    reason: 'fires when no worker polls the task queue; the scenario\'s worker polls throughout',
    signal: 'sum by (instance, task_queue) (temporal_num_pollers{poller_type="workflow_task"})',
  },
  ArautoApiErrors: {
    reason: 'fires when over 5% of a route\'s requests answer 5xx; the scenario makes none',
    signal: 'sum by (route) (rate(arauto_http_requests_total[5m]))',
  },
};

const squash = (expr: string) => expr.replace(/\s+/g, ' ').trim();

test('issue 19: every alert has a for, a severity and what to do; each empty-when-healthy one names a part of its expression', () => {
  assert.ok(alerts.length >= 7, `${alerts.length} alerts`);
  for (const rule of alerts) {
    assert.match(rule.for ?? '', /^\d+[smh]$/, `${rule.alert}: for`);
    assert.ok(['page', 'ticket'].includes(rule.labels?.severity ?? ''), `${rule.alert}: severity page or ticket`);
    assert.ok((rule.annotations?.summary ?? '').length > 10, `${rule.alert}: summary`);
    assert.ok((rule.annotations?.description ?? '').length > 80, `${rule.alert}: a description saying what to do`);
  }
  for (const [name, { signal }] of Object.entries(EMPTY_WHEN_HEALTHY)) {
    const rule = alerts.find((r) => r.alert === name);
    assert.ok(rule, `${name} is an alert of the rules`);
    assert.ok(squash(rule.expr).includes(squash(signal)), `${name}'s signal is a part of its expression`);
  }
});

test('issue 19: the dashboard asks one Prometheus, chosen by its variable; every panel has a query', () => {
  assert.ok(dashboard.templating.list.some((v: any) => v.name === 'datasource' && v.type === 'datasource' && v.query === 'prometheus'));
  assert.ok(panels.length >= 12, `${panels.length} panels`);
  for (const p of panels) {
    assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' }, p.title);
    assert.ok(p.targets?.length && p.targets.every((t) => t.expr && !/[A-Z]{3,}_/.test(t.expr)), `${p.title}: queries`);
  }
  const ids = dashboard.panels.flatMap((p: any) => [p.id, ...(p.panels ?? []).map((q: any) => q.id)]);
  assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
});

test('issue 19: promtool accepts the rules', { skip }, () => {
  needsPrometheus();
  const run = spawnSync(promtoolBin!, ['check', 'rules', RULES], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`SUCCESS: ${rules.length} rules found`));
});

// Each alert against the failure it is for, and against data that is fine (promtool's unit tests, on a copy of the
// rules without annotations: promtool compares annotations too, and their text is checked above). Time in minutes.
const series = (s: string, values: string) => ({ series: s, values });
const ALERT_CASES = [{
  name: 'a first deactivation (the series appears at 1) and a later one (it goes from 1 to 2); none 20 minutes on',
  input_series: [
    series('arauto_endpoint_deactivations_total{job="arauto-worker",instance="w1",provider="gerencianet"}', '_x19 1x40'),
    series('arauto_endpoint_deactivations_total{job="arauto-worker",instance="w1",provider="controlpay"}', '1x24 2x30'),
    series('arauto_endpoint_deactivations_total{job="arauto-worker",instance="w1",provider="webhook"}', '3x60'),
  ],
  alert_rule_test: [
    { eval_time: '19m', alertname: 'ArautoCallbackUrlDeactivated', exp_alerts: [] },
    { eval_time: '22m', alertname: 'ArautoCallbackUrlDeactivated', exp_alerts: [{ exp_labels: { severity: 'ticket', provider: 'gerencianet' } }] },
    { eval_time: '27m', alertname: 'ArautoCallbackUrlDeactivated', exp_alerts: [
      { exp_labels: { severity: 'ticket', provider: 'controlpay' } }, { exp_labels: { severity: 'ticket', provider: 'gerencianet' } }] },
    { eval_time: '50m', alertname: 'ArautoCallbackUrlDeactivated', exp_alerts: [] },
  ],
}, {
  // Documented in the rules: a Prometheus without history takes the deactivations since the worker started as new.
  name: 'a Prometheus started afresh reports the deactivations the worker counted before, once, for 15 minutes',
  input_series: [series('arauto_endpoint_deactivations_total{job="arauto-worker",instance="w1",provider="webhook"}', '3x30')],
  alert_rule_test: [
    { eval_time: '5m', alertname: 'ArautoCallbackUrlDeactivated', exp_alerts: [{ exp_labels: { severity: 'ticket', provider: 'webhook' } }] },
    { eval_time: '20m', alertname: 'ArautoCallbackUrlDeactivated', exp_alerts: [] },
  ],
}, {
  name: 'half the deliveries need retries (60 in 30 min); a provider with too few to judge; one healthy',
  input_series: [
    series('arauto_deliveries_finished_total{provider="gerencianet",result="first_attempt"}', '0+1x60'),
    series('arauto_deliveries_finished_total{provider="gerencianet",result="after_retries"}', '0+1x60'),
    series('arauto_deliveries_finished_total{provider="controlpay",result="exhausted"}', '0+0.2x60'),
    series('arauto_deliveries_finished_total{provider="webhook",result="first_attempt"}', '0+10x60'),
    series('arauto_deliveries_finished_total{provider="webhook",result="exhausted"}', '0+1x60'),
  ],
  alert_rule_test: [
    { eval_time: '5m', alertname: 'ArautoFirstAttemptSuccessLow', exp_alerts: [] },
    { eval_time: '50m', alertname: 'ArautoFirstAttemptSuccessLow', exp_alerts: [{ exp_labels: { severity: 'ticket', provider: 'gerencianet' } }] },
  ],
}, {
  name: 'workflow tasks and activities wait seconds in the task queue',
  input_series: [
    ...[['0.1', '0'], ['1', '0'], ['5', '10'], ['+Inf', '10']].map(([le, step]) =>
      series(`temporal_workflow_task_schedule_to_start_latency_seconds_bucket{task_queue="arauto",le="${le}"}`, `0+${step}x30`)),
    ...[['1', '0'], ['5', '0'], ['10', '10'], ['+Inf', '10']].map(([le, step]) =>
      series(`temporal_activity_schedule_to_start_latency_seconds_bucket{task_queue="arauto",le="${le}"}`, `0+${step}x30`)),
  ],
  alert_rule_test: [
    { eval_time: '5m', alertname: 'ArautoWorkflowTaskScheduleToStartHigh', exp_alerts: [] },
    { eval_time: '20m', alertname: 'ArautoWorkflowTaskScheduleToStartHigh', exp_alerts: [{ exp_labels: { severity: 'page', task_queue: 'arauto' } }] },
    { eval_time: '20m', alertname: 'ArautoActivityScheduleToStartHigh', exp_alerts: [{ exp_labels: { severity: 'page', task_queue: 'arauto' } }] },
  ],
}, {
  name: 'a worker stops answering; another stops polling',
  input_series: [
    series('up{job="arauto-worker",instance="w1:9464"}', '1x5 0x20'),
    series('up{job="arauto-worker",instance="w2:9464"}', '1x25'),
    series('temporal_num_pollers{job="arauto-worker",instance="w2:9464",task_queue="arauto",poller_type="workflow_task"}', '2x5 0x20'),
  ],
  alert_rule_test: [
    { eval_time: '5m', alertname: 'ArautoWorkerDown', exp_alerts: [] },
    { eval_time: '10m', alertname: 'ArautoWorkerDown', exp_alerts: [{ exp_labels: { severity: 'page', job: 'arauto-worker', instance: 'w1:9464' } }] },
    { eval_time: '12m', alertname: 'ArautoWorkerNotPolling', exp_alerts: [{ exp_labels: { severity: 'page', instance: 'w2:9464', task_queue: 'arauto' } }] },
  ],
}, {
  name: 'no worker is up at all',
  input_series: [series('up{job="arauto-worker",instance="w1:9464"}', '0x20')],
  alert_rule_test: [
    { eval_time: '10m', alertname: 'ArautoWorkerNotPolling', exp_alerts: [{ exp_labels: { severity: 'page' } }] },
  ],
}, {
  name: 'a tenth of a route\'s requests answer 500; another route is fine',
  input_series: [
    series('arauto_http_requests_total{route="/v1/merchants/:merchantId/charges/:chargeId/status-changes",method="POST",status="202"}', '0+90x20'),
    series('arauto_http_requests_total{route="/v1/merchants/:merchantId/charges/:chargeId/status-changes",method="POST",status="500"}', '0+10x20'),
    series('arauto_http_requests_total{route="/healthz",method="GET",status="200"}', '0+100x20'),
  ],
  alert_rule_test: [
    { eval_time: '15m', alertname: 'ArautoApiErrors', exp_alerts: [
      { exp_labels: { severity: 'page', route: '/v1/merchants/:merchantId/charges/:chargeId/status-changes' } }] },
  ],
}];

test('issue 19: each alert fires on the failure it is for, and not on data that is fine (promtool test rules)', { skip }, () => {
  needsPrometheus();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arauto-promtool-'));
  try {
    const bare = YAML.parse(readFileSync(RULES, 'utf8'));
    for (const group of bare.groups) for (const rule of group.rules) delete rule.annotations;
    writeFileSync(path.join(dir, 'rules.yml'), YAML.stringify(bare));
    writeFileSync(path.join(dir, 'tests.yml'), YAML.stringify({ rule_files: ['rules.yml'], evaluation_interval: '1m', tests: ALERT_CASES.map(({ name: _, ...t }) => ({ interval: '1m', ...t })) }));
    const fired = new Set(ALERT_CASES.flatMap((c) => c.alert_rule_test.filter((t) => t.exp_alerts.length > 0).map((t) => t.alertname)));
    assert.deepEqual([...fired].sort(), alerts.map((r) => r.alert).sort(), 'every alert is shown firing');
    const run = spawnSync(promtoolBin!, ['test', 'rules', 'tests.yml'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- A real Prometheus against a running stack ----

/** The worker's and the API's metrics ports (lib/config.ts): /metrics is off unless they are set. */
const METRICS_PORT_VARS = { worker: 'WORKER_METRICS_PORT', api: 'API_METRICS_PORT' } as const;

class Prometheus {
  private output = '';
  private constructor(private readonly child: ChildProcess, readonly url: string, readonly startedAt: number) {
    child.stdout!.on('data', (c) => { this.output += c; });
    child.stderr!.on('data', (c) => { this.output += c; });
  }

  /**
   * Prometheus on a free loopback port, its data in `dir`, scraping each job's target every `interval` seconds (the
   * API's gauges cost visibility queries at each scrape: not every second) and evaluating the rules every second.
   */
  static async start(dir: string, jobs: Record<string, { target: string; interval: number }>): Promise<Prometheus> {
    const config = {
      global: { evaluation_interval: '1s' },
      rule_files: [RULES],
      scrape_configs: Object.entries(jobs).map(([job, { target, interval }]) => ({
        job_name: job, scrape_interval: `${interval}s`, scrape_timeout: `${interval}s`, static_configs: [{ targets: [target] }],
      })),
    };
    writeFileSync(path.join(dir, 'prometheus.yml'), YAML.stringify(config));
    const port = await freePort();
    const child = spawn(prometheusBin!, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    const prometheus = new Prometheus(child, `http://127.0.0.1:${port}`, Date.now());
    await eventually(async () => {
      if (child.exitCode !== null) assert.fail(`prometheus exited: ${prometheus.output}`);
      return fetch(`${prometheus.url}/-/ready`).then((r) => r.status, () => 0);
    }, (status) => status === 200, 120_000);
    return prometheus;
  }

  /** An instant query at the latest time; fails on any error Prometheus reports (a bad name, a parse error). */
  async query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const res = await fetch(`${this.url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: expr }) });
    const body: any = await res.json();
    assert.equal(body.status, 'success', `${expr}: ${JSON.stringify(body)}`);
    assert.equal(body.data.resultType, 'vector', expr);
    return body.data.result;
  }

  async api(pathname: string): Promise<any> {
    const body: any = await (await fetch(`${this.url}${pathname}`)).json();
    assert.equal(body.status, 'success', JSON.stringify(body));
    return body.data;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** The samples of a Prometheus text exposition: `name{labels}` → value (comments and blank lines left out). */
function samplesOf(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*(?:\{.*\})?)\s+(\S+)(?:\s+\d+)?$/.exec(line);
    if (m) samples.set(m[1], Number(m[2]));
  }
  return samples;
}

/** `name{labels}` with `job` added: the same series as Prometheus stores it. */
const withJob = (sample: string, job: string) =>
  sample.includes('{') ? sample.replace(/\}$/, `,job="${job}"}`) : `${sample}{job="${job}"}`;

describe('issue 19: a real Prometheus scrapes a running stack; every panel and alert query answers', { skip }, () => {
  const DIVISOR = 3600; // gerencianet's hour of ten attempts in about a second
  const shop = `loja-obs-${Date.now().toString(36)}`;
  const endpoint = 'gerencianetNotificationUrl';
  let dir: string;
  let receiver: Receiver;
  let stack: Stack | undefined;
  let prometheus: Prometheus | undefined;
  let metricsPorts: { worker: number; api: number };

  before(async () => {
    needsPrometheus();
    dir = mkdtempSync(path.join(os.tmpdir(), 'arauto-observability-'));
    receiver = await Receiver.start();
    metricsPorts = { worker: await freePort(), api: await freePort() };
    stack = await Stack.start({
      dataDir: path.join(dir, 'stack'), retryDelayDivisor: DIVISOR,
      env: { [METRICS_PORT_VARS.worker]: String(metricsPorts.worker), [METRICS_PORT_VARS.api]: String(metricsPorts.api) },
    });
    await stack.createAccount(shop);
    prometheus = await Prometheus.start(dir, {
      'arauto-worker': { target: `127.0.0.1:${metricsPorts.worker}`, interval: 1 },
      'arauto-api': { target: `127.0.0.1:${metricsPorts.api}`, interval: 2 },
    });
  });

  after(async () => {
    await prometheus?.stop();
    await stack?.interrupt();
    await receiver?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** What the receiver answers, by the scenario's step: the URL works, fails once per notification, or is down. */
  let mode: 'ok' | 'flaky' | 'down' = 'ok';
  const endpointState = async () => (await stack!.request('GET', `/v1/merchants/${shop}/endpoints`)).body.endpoints[endpoint];

  async function chargePaid(chargeId: string): Promise<string> {
    const res = await stack!.request('POST', `/v1/merchants/${shop}/charges/${chargeId}/status-changes`, { currentStatus: 'paid' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return res.body.deliveryId;
  }

  /**
   * One round of the scenario: a delivery on its first attempt, one after a 500, one that exhausts the URL's schedule
   * and deactivates it (G4), one held while it is inactive (G5), then the URL activated again (G6). Run twice: a
   * counter's series appears at its first increment, and rate() needs it to grow after Prometheus saw it.
   */
  async function round(n: number): Promise<void> {
    mode = 'ok';
    assert.equal((await stack!.deliveryWhen(await chargePaid(`ok-${n}`), (d) => d.status !== 'delivering')).status, 'delivered');
    mode = 'flaky';
    const flaky = await stack!.deliveryWhen(await chargePaid(`retry-${n}`), (d) => d.status !== 'delivering');
    assert.deepEqual([flaky.status, flaky.attempts.map((a: any) => a.statusCode)], ['delivered', [500, 200]]);
    mode = 'down';
    assert.equal((await stack!.deliveryWhen(await chargePaid(`dead-${n}`), (d) => d.status !== 'delivering')).status, 'failed');
    await eventually(endpointState, (s) => s.status === 'inactive');
    assert.equal((await stack!.deliveryWhen(await chargePaid(`held-${n}`), (d) => d.status === 'held')).status, 'held');
    mode = 'ok';
    const activated = await stack!.request('POST', `/v1/merchants/${shop}/endpoints/${endpoint}/activation`);
    assert.equal(activated.status, 200, JSON.stringify(activated.body));
    await eventually(endpointState, (s) => s.status === 'active');
  }

  /** Resolves once Prometheus holds, for every counter the worker and the API serve now, the value they serve. */
  async function untilScraped(): Promise<void> {
    for (const [job, port] of [['arauto-worker', metricsPorts.worker], ['arauto-api', metricsPorts.api]] as const) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const counters = [...samplesOf(text)].filter(([name]) => /^arauto_\w+_total\{/.test(name) && !/route="\/metrics"/.test(name));
      assert.ok(counters.length > 0, `${job} serves Arauto's counters:\n${text}`);
      for (const [sample, value] of counters) {
        await eventually(() => prometheus!.query(withJob(sample, job)), (r) => r.length === 1 && Number(r[0].value[1]) >= value);
      }
    }
  }

  test('the scenario runs twice, and Prometheus has scraped what it made', async () => {
    receiver.respondPerNotification((nth) => (mode === 'down' ? 503 : mode === 'flaky' && nth === 1 ? 500 : 200));
    const registered = await stack!.request('PUT', `/v1/merchants/${shop}/callback-urls`, { [endpoint]: `${receiver.url}/notificacao` });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    await round(1);
    await untilScraped();
    await round(2);
    await untilScraped();
    // The SDK's own metrics are scraped too (the worker polls from its start).
    await eventually(() => prometheus!.query('temporal_workflow_task_schedule_to_start_latency_seconds_count{job="arauto-worker"}'), (r) => r.length > 0);
  });

  /** A Grafana variable's value over the whole run: every sample since Prometheus started is in the window. */
  const window = () => `${Math.ceil((Date.now() - prometheus!.startedAt) / 1000) + 15}s`;
  const asGrafanaWould = (expr: string) => expr.replaceAll('$__rate_interval', window()).replaceAll('$__interval', '1s').replaceAll('$__range', window());
  const hasNumber = (result: { value: [number, string] }[]) => result.some((s) => Number.isFinite(Number(s.value[1])));

  test('every query of every dashboard panel returns data', async () => {
    const empty: string[] = [];
    for (const { name, expr } of panelQueries) {
      const result = await prometheus!.query(asGrafanaWould(expr));
      if (!hasNumber(result)) empty.push(`${name}: ${expr} → ${JSON.stringify(result)}`);
    }
    assert.deepEqual(empty, [], 'panels without data');
  });

  test('every alert expression returns data, or is empty for the reason stated and its signal returns data', async () => {
    const problems: string[] = [];
    for (const rule of alerts) {
      const result = await prometheus!.query(rule.expr);
      const why = EMPTY_WHEN_HEALTHY[rule.alert!];
      if (!why) {
        if (result.length === 0) problems.push(`${rule.alert}: empty`);
        continue;
      }
      const signal = await prometheus!.query(why.signal);
      if (!hasNumber(signal)) problems.push(`${rule.alert}: its signal ${why.signal} is empty`);
      if (result.length > 0) console.log(`# ${rule.alert} returned data on this run (${JSON.stringify(result)}): allowed, a loaded machine can cross it`);
    }
    assert.deepEqual(problems, []);
  });

  test('Prometheus evaluates every rule without an error, and the deactivation alert is pending or firing', async () => {
    const deactivated = await eventually(() => prometheus!.api('/api/v1/alerts'),
      (data) => data.alerts.some((a: any) => a.labels.alertname === 'ArautoCallbackUrlDeactivated' && a.labels.provider === 'gerencianet'));
    assert.ok(['pending', 'firing'].includes(deactivated.alerts.find((a: any) => a.labels.alertname === 'ArautoCallbackUrlDeactivated').state));
    const { groups } = await prometheus!.api('/api/v1/rules');
    const evaluated = groups.flatMap((g: any) => g.rules);
    assert.deepEqual(evaluated.map((r: any) => r.name).sort(), alerts.map((r) => r.alert).sort());
    for (const r of evaluated) assert.equal(r.health, 'ok', `${r.name}: ${r.lastError}`);
  });
});
