// `npm start`: the Temporal dev server (SQLite under data/, Web UI), the worker and the API, in the foreground
// with prefixed logs, supervised (scripts/supervisor.ts): a child that dies is restarted with backoff. SIGINT or
// SIGTERM stops the API and worker, then Temporal; if this script dies, its children end themselves.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createAccount } from '../api/accounts';
import { signInLink } from '../api/portal/signIn';
import { ConfigError, loadConfig, temporalAddress, temporalConnectionOptions, type Config } from '../lib/config';
import { prepareNamespace } from '../lib/namespace';
import { dataConverterOf } from '../lib/payloadCodec';
import { CelcoinEmulator } from '../emulators/celcoin';
import { PlugBoletoEmulator } from '../emulators/plugboleto';
import { SEED_EXAMPLE_PROTOCOL, SEED_MIXED_CEDENTES_PROTOCOL } from '../emulators/plugboletoSeedExamples';
import {
  devServerArgs, devServerEnv, startDevServer, TEMPORAL_CLI, waitForTemporal, type RunningServer,
} from '../lib/temporalServers';
import { dataDirOf, localKeys, recordRunning } from './localStack';
import { Supervisor, type ChildSpec } from './supervisor';

const root = path.resolve(__dirname, '..');
const say = (source: string, line: string) => process.stdout.write(`[${source.padEnd(8)}] ${line}\n`);

/** A node child: our TypeScript entry under tsx, ending itself when this script dies (scripts/exitWithParent.cjs). */
function nodeChild(name: string, entry: string, env: NodeJS.ProcessEnv): ChildSpec {
  return {
    name, layer: 1, env, ipc: true, command: process.execPath,
    args: ['--import', 'tsx', '--require', path.join(__dirname, 'exitWithParent.cjs'), path.join(root, entry)],
  };
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * The dev server, a Go binary that cannot watch an IPC channel: `setpriv --pdeathsig TERM` asks the kernel to send
 * it SIGTERM when this script dies (even by kill -9), then execs it, so it keeps its PID and needs no watchdog
 * process. (Node spawns from its main thread, which lives as long as the script: the death signal follows the
 * spawning thread.) Without setpriv (not Linux), it runs without, and the start says so.
 */
function devServerChild(config: Config, dbFile: string): ChildSpec {
  const args = devServerArgs({
    port: config.TEMPORAL_PORT,
    uiPort: config.TEMPORAL_UI_PORT,
    dbFile,
    sqlitePragmas: config.TEMPORAL_SQLITE_PRAGMAS,
    uiCodecEndpoint: `http://localhost:${config.PORT}/codec`,
    namespace: config.TEMPORAL_NAMESPACE,
  });
  const address = `127.0.0.1:${config.TEMPORAL_PORT}`;
  const withPdeathsig = existsSync(SETPRIV);
  if (!withPdeathsig) say('arauto', `${SETPRIV} missing: the dev server will outlive this script if it is killed`);
  return {
    name: 'temporal', layer: 0, env: devServerEnv(),
    command: withPdeathsig ? SETPRIV : TEMPORAL_CLI,
    args: withPdeathsig ? ['--pdeathsig', 'TERM', '--', TEMPORAL_CLI, ...args] : args,
    // Ready for Arauto: the frontend answers and the namespace has the search attributes (after every restart too).
    ready: async () => {
      await waitForTemporal(address, config.TEMPORAL_NAMESPACE);
      await prepare(config);
    },
  };
}

/** The namespace's search attributes and retention, before the API takes a trigger (the worker does it too). */
async function prepare(config: Config): Promise<void> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const setup = await prepareNamespace(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_RETENTION_DAYS);
    say('temporal', `ready at ${temporalAddress(config)}; namespace ${config.TEMPORAL_NAMESPACE}: logs kept ${setup.retentionDays} days` +
      (setup.registered.length ? `; registered ${setup.registered.join(', ')}` : ''));
  } finally {
    await connection.close();
  }
}

/** Seed 002's example cedente, answered by the emulator with the seed's example software-house credentials. */
const DEMO_CEDENTE = '01001001000113';
const DEMO_SH = { cnpjSh: '01001001000113', tokenSh: 'f22b97c0c9a3d41ac0a3875aba69e5aa' };

async function startPlugBoletoEmulator(config: Config) {
  const emulator = await PlugBoletoEmulator.start({ credentials: { [DEMO_CEDENTE]: DEMO_SH } }, config.PLUGBOLETO_EMULATOR_PORT);
  say('plugboleto', `emulator at ${emulator.url} (PLUGBOLETO_BASE_URL unset); cedente ${DEMO_CEDENTE} with the seed's example credentials; ` +
    `the seed's example answers under protocols ${SEED_EXAMPLE_PROTOCOL} and ${SEED_MIXED_CEDENTES_PROTOCOL}`);
  return {
    PLUGBOLETO_BASE_URL: emulator.url,
    PLUGBOLETO_CREDENTIALS: JSON.stringify({ [DEMO_CEDENTE]: { mode: 'softwareHouse', ...DEMO_SH } }),
  };
}

async function startPaymentsEmulator(config: Config) {
  const emulator = await CelcoinEmulator.start(config.PAYMENTS_EMULATOR_PORT);
  say('payments', `emulator at ${emulator.url} (PAYMENTS_BASE_URL unset): debt queries (I3), payments and receipts (I1, I2)`);
  return { PAYMENTS_BASE_URL: emulator.url };
}

/**
 * The demo account `demo` and how to call the API with it: created at the first start (its secrets kept in
 * data/secrets/demo-account.json, readable by this user only), printed at every start.
 */
async function demoAccount(config: Config, dataDir: string): Promise<void> {
  const file = path.join(dataDir, 'secrets', 'demo-account.json');
  if (!existsSync(file)) {
    const connection = await Connection.connect(temporalConnectionOptions(config));
    try {
      const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterOf(config) });
      const [oauth, apiKey] = await createAccount({ client, config }, 'demo');
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, JSON.stringify({ clientId: oauth.clientId, clientSecret: oauth.secret, apiKey: apiKey.secret }), { mode: 0o600 });
    } finally {
      await connection.close();
    }
  }
  // The secrets stay in the file: logs never carry them.
  const api = config.PUBLIC_API_URL;
  const read = (field: string) => `$(node -p "require('${file}').${field}")`;
  say('arauto', `demo account "demo" (its secrets: ${file}); call the API with its API key:`);
  say('arauto', `  curl -H "authorization: Bearer ${read('apiKey')}" ${api}/v1/merchants/demo/credentials`);
  say('arauto', `  or get a token: curl -d grant_type=client_credentials -u "${read('clientId')}:${read('clientSecret')}" ${api}/oauth/token`);
  const portal = await signInLink(config, 'demo', 'api');
  say('arauto', `its merchant portal (this link works once, for ${config.PORTAL_LINK_TTL_S / 60} minutes; another: npm run portal):`);
  say('arauto', `  ${portal.url}`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const supervisor = new Supervisor(say);
  let unsupervised: RunningServer | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('arauto', 'stopping: API and worker first, then Temporal');
    await supervisor.stop();
    await unsupervised?.stop();
    say('arauto', 'stopped');
    process.exit(code);
  };
  // From the terminal (Ctrl-C reaches npm and this script), from npm (it relays both: package.json runs this script
  // with `exec`, so no shell sits between them to swallow SIGINT or to die alone on SIGTERM), or sent to this PID.
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  say('arauto', `supervising (pid ${process.pid}): a child that dies is restarted; SIGINT or SIGTERM stops everything`);

  const dataDir = dataDirOf(config);
  const temporal: ChildSpec[] = [];
  if (config.TEMPORAL_ADDRESS) {
    say('arauto', `using Temporal at ${config.TEMPORAL_ADDRESS} (TEMPORAL_ADDRESS is set: no dev server started)`);
    await prepare(config);
  } else {
    mkdirSync(dataDir, { recursive: true });
    const dbFile = path.join(dataDir, 'temporal.db');
    say('arauto', `starting the Temporal dev server (SQLite: ${dbFile}; Web UI: http://localhost:${config.TEMPORAL_UI_PORT})`);
    if (existsSync(TEMPORAL_CLI)) temporal.push(devServerChild(config, dbFile));
    else {
      say('arauto', 'the Temporal CLI is not provisioned (npm run provision): using the SDK\'s download, not supervised');
      unsupervised = await startDevServer({ port: config.TEMPORAL_PORT, dbFile, namespace: config.TEMPORAL_NAMESPACE });
      await prepare(config);
    }
  }

  // PlugBoleto: the emulator, unless a real one is configured (docs/return-files.md).
  const plugboleto = config.PLUGBOLETO_BASE_URL ? undefined : await startPlugBoletoEmulator(config);
  const payments = config.PAYMENTS_BASE_URL ? undefined : await startPaymentsEmulator(config);
  const env = {
    ...(plugboleto ?? {}),
    ...(payments ?? {}),
    ...process.env,
    TEMPORAL_ADDRESS: temporalAddress(config),
    ...localKeys(config, (line) => say('arauto', line)),
    // Metrics on (docs/observability.md#metrics); set empty to turn them off.
    WORKER_METRICS_PORT: process.env.WORKER_METRICS_PORT ?? '9464',
    API_METRICS_PORT: process.env.API_METRICS_PORT ?? '9465',
    // The e-mail's calls (G4) and the operator scripts point at this API, whatever its PORT.
    PUBLIC_API_URL: process.env.PUBLIC_API_URL || `http://localhost:${config.PORT}`,
    // Readable lines in a terminal; LOG_FORMAT=json npm start shows what a collector would get.
    LOG_FORMAT: process.env.LOG_FORMAT || 'pretty',
  };
  say('arauto', `codec endpoint (decodes payloads in the Web UI and the CLI): http://localhost:${config.PORT}/codec ` +
    '(its bearer: CODEC_AUTH_TOKEN; docs/security.md)');

  // What runs: one entry per process.
  const children: ChildSpec[] = [
    ...temporal,
    nodeChild('worker', 'worker/main.ts', env),
    nodeChild('api', 'api/main.ts', env),
  ];
  try {
    await supervisor.start(children);
  } catch (err) {
    if (stopping) return; // a signal during the start: its shutdown stopped what was starting
    say('arauto', `failed to start: ${(err as Error).message}`);
    return void shutdown(1);
  }
  if (stopping) return;
  const running = recordRunning(config, env.PUBLIC_API_URL);
  process.on('exit', () => running.stopped());
  void demoAccount(loadConfig(env), dataDir).catch((err) => say('arauto', `demo account not created: ${(err as Error).message}`));
}

main().catch((err) => {
  say('arauto', err instanceof ConfigError ? err.message : `failed to start: ${(err as Error).message}`);
  process.exit(1);
});
