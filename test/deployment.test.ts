// The production topology (D7): docker-compose.yml and the Dockerfile. No Docker engine runs here, so Compose's own
// parser (`docker compose config`, else Debian's docker-compose) validates the file and resolves its variables, and
// the image's contents are checked against what its commands import.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import YAML from 'yaml';
import { configSchema } from '../lib/config';

const root = path.resolve(__dirname, '..');
const key = Buffer.alloc(32, 7).toString('base64');
const REQUIRED = { WEBHOOK_SIGNING_KEY: key, PAYLOAD_ENCRYPTION_KEYS: `k1=${key}`, ACCESS_TOKEN_KEY: key, POSTGRES_PASSWORD: 'pw' };

const compose = [['docker', 'compose'], ['docker-compose']].find(([cmd, ...sub]) =>
  spawnSync(cmd, [...sub, 'version'], { stdio: 'ignore' }).status === 0);
const missing = compose ? undefined : 'No Compose here: apt-get install docker-compose (or the docker compose plugin)';

/** `config` of docker-compose.yml with exactly these variables: no .env, nothing from this process's environment. */
function composeConfig(vars: Record<string, string>) {
  const envFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'arauto-compose-')), 'env');
  writeFileSync(envFile, '');
  const [cmd, ...sub] = compose!;
  const run = spawnSync(cmd, [...sub, '--env-file', envFile, '-f', path.join(root, 'docker-compose.yml'), 'config'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...vars }, encoding: 'utf8',
  });
  return { status: run.status, stderr: run.stderr, services: run.status === 0 ? YAML.parse(run.stdout).services : undefined };
}

const composeTest = (name: string, fn: () => void) =>
  test(name, { skip: !process.env.CI && missing }, () => {
    if (missing) assert.fail(missing); // in CI a missing parser is a failure, not a skip
    fn();
  });

composeTest('D7: Compose accepts the file; the topology is PostgreSQL → schema → Temporal → namespace → UI, API, workers', () => {
  const { status, stderr, services } = composeConfig(REQUIRED);
  assert.equal(status, 0, stderr);
  // Debian's docker-compose 1.29 lists the services of every profile; `up` without one starts only these.
  assert.deepEqual(Object.keys(services).filter((s) => !services[s].profiles).sort(),
    ['api', 'postgresql', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'worker']);
  const after = (service: string) => Object.fromEntries(
    Object.entries(services[service].depends_on ?? {}).map(([dep, v]: [string, any]) => [dep, v.condition]));
  assert.deepEqual(after('temporal-schema'), { postgresql: 'service_healthy' });
  assert.deepEqual(after('temporal'), { 'temporal-schema': 'service_completed_successfully' });
  assert.deepEqual(after('temporal-namespace'), { temporal: 'service_healthy' });
  assert.deepEqual(after('worker'), { 'temporal-namespace': 'service_completed_successfully' });
  assert.deepEqual(after('api'), { 'temporal-namespace': 'service_completed_successfully' });
  for (const s of ['postgresql', 'temporal', 'temporal-ui', 'api', 'worker']) assert.ok(services[s].healthcheck, `${s} has a health check`);
  // Temporal's data survives a `down`/`up`: PostgreSQL keeps it on a named volume.
  assert.match(JSON.stringify(services.postgresql.volumes), /postgres-data.*\/var\/lib\/postgresql\/data/);
  // `--scale worker=N` needs a worker without a fixed name or published port.
  assert.equal(services.worker.container_name, undefined);
  assert.equal(services.worker.ports, undefined);
  assert.ok(services.worker.build && services.api.build, 'both built from the Dockerfile');
});

composeTest('D7: the API and the worker take the variables of npm start, the same values in both', () => {
  const { services } = composeConfig(REQUIRED);
  const known = new Set(Object.keys(configSchema.shape));
  for (const s of ['api', 'worker']) {
    const unknown = Object.keys(services[s].environment).filter((v) => !known.has(v));
    assert.deepEqual(unknown, [], `${s}: variables that lib/config.ts does not read`);
  }
  const { PORT, API_METRICS_PORT, ...api } = services.api.environment;
  const worker = Object.fromEntries(Object.entries(services.worker.environment).filter(([k]) => !k.startsWith('WORKER_')));
  assert.equal(PORT, '3000');
  assert.equal(API_METRICS_PORT, '9465');
  assert.deepEqual(api, worker);
  assert.equal(api.WEBHOOK_SIGNING_KEY, key);
  assert.equal(api.TEMPORAL_ADDRESS, 'temporal:7233');
  // The Web UI decodes through the API's /codec, with the operator's session cookie.
  assert.equal(services['temporal-ui'].environment.TEMPORAL_CODEC_ENDPOINT, 'http://localhost:3000/codec');
});

composeTest('D7: without a key it refuses to start, naming the variable; .env.example lists every one it requires', () => {
  for (const name of Object.keys(REQUIRED)) {
    const { [name]: _, ...rest } = REQUIRED as Record<string, string>;
    const { status, stderr } = composeConfig(rest);
    assert.notEqual(status, 0, `${name} unset`);
    assert.match(stderr, new RegExp(`set ${name}`));
  }
  const example = readFileSync(path.join(root, '.env.example'), 'utf8');
  for (const name of Object.keys(REQUIRED)) assert.match(example, new RegExp(`^${name}=`, 'm'));
});

composeTest('Issue 19: the profile observability adds Prometheus and Grafana, provisioned with the rules and the dashboard', () => {
  const { status, stderr, services } = composeConfig({ ...REQUIRED, COMPOSE_PROFILES: 'observability' });
  assert.equal(status, 0, stderr);
  const { prometheus, grafana } = services;
  assert.deepEqual(prometheus.profiles, ['observability']);
  assert.deepEqual(grafana.profiles, ['observability']);
  // Pinned by tag: nothing pulls a moving `latest`.
  for (const s of [prometheus, grafana]) assert.match(s.image, /:v?\d+\.\d+\.\d+$/);
  /** Where each file or folder of the repository is mounted in the container. */
  const mounts = (service: any) => Object.fromEntries((service.volumes as any[]).map((v) => typeof v === 'string'
    ? [v.split(':')[0], v.split(':')[1]] : [v.source, v.target]).filter(([source]) => source.startsWith(root))
    .map(([source, target]) => [path.relative(root, source), target]));
  assert.deepEqual(mounts(prometheus), {
    'deploy/prometheus/prometheus.yml': '/etc/prometheus/prometheus.yml',
    'deploy/prometheus/arauto-rules.yml': '/etc/prometheus/arauto-rules.yml',
  });
  assert.deepEqual(mounts(grafana), {
    'deploy/grafana/provisioning': '/etc/grafana/provisioning',
    'deploy/grafana/arauto-dashboard.json': '/etc/grafana/dashboards/arauto-dashboard.json',
  });
  // Each file Compose mounts is where the other files say it is.
  const promConfig = YAML.parse(readFileSync(path.join(root, 'deploy/prometheus/prometheus.yml'), 'utf8'));
  assert.deepEqual(promConfig.rule_files, ['/etc/prometheus/arauto-rules.yml']);
  const provider = YAML.parse(readFileSync(path.join(root, 'deploy/grafana/provisioning/dashboards/arauto.yml'), 'utf8'));
  assert.equal(provider.providers[0].options.path, '/etc/grafana/dashboards');
  const datasource = YAML.parse(readFileSync(path.join(root, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8'));
  assert.equal(datasource.datasources[0].url, 'http://prometheus:9090');
  // Prometheus scrapes every replica of the worker and the API, by service name, on the port each serves /metrics on.
  const jobs = Object.fromEntries(promConfig.scrape_configs.map((j: any) => [j.job_name, j.dns_sd_configs?.[0]]));
  for (const [job, service, variable] of [['arauto-worker', 'worker', 'WORKER_METRICS_PORT'], ['arauto-api', 'api', 'API_METRICS_PORT']]) {
    assert.deepEqual(jobs[job].names, [service]);
    assert.equal(String(jobs[job].port), services[service].environment[variable], `${job} scrapes ${service}'s ${variable}`);
  }
});

test('D7: the image holds everything its commands import, and installs every package they need without dev ones', () => {
  const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const copied = [...dockerfile.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1].split(' '));
  for (const source of copied) assert.ok(existsSync(path.join(root, source)), `Dockerfile copies ${source}, which exists`);
  assert.match(dockerfile, /npm install --omit=dev/);
  const inImage = (file: string) => copied.some((c) => file === c || file.startsWith(`${c}/`));

  const { dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  // The commands of docker-compose.yml and the scripts the image carries; the worker loads workflows/ by path.
  const entries = ['api/main.ts', 'worker/main.ts', 'workflows/index.ts', 'scripts/account.ts', 'scripts/portal.ts', 'scripts/replay.ts'];
  const seen = new Set<string>();
  const problems: string[] = [];
  for (let file; (file = entries.pop());) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (!inImage(file)) problems.push(`${file} is imported but not copied into the image`);
    for (const { fileName: spec } of ts.preProcessFile(readFileSync(path.join(root, file), 'utf8')).importedFiles) {
      if (spec.startsWith('.')) {
        const base = path.relative(root, path.resolve(root, path.dirname(file), spec));
        const resolved = [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, base].find((f) => existsSync(path.join(root, f)) && /\.tsx?$/.test(f));
        if (resolved) entries.push(resolved);
        else if (!existsSync(path.join(root, base))) problems.push(`${file}: cannot resolve ${spec}`);
      } else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!dependencies[pkg]) problems.push(`${file} imports ${pkg}, not in package.json's dependencies`);
      }
    }
  }
  assert.ok(dependencies.tsx, 'the image runs the sources with tsx');
  assert.deepEqual(problems, []);
  assert.ok(seen.size > 30, `walked ${seen.size} files`);
});
