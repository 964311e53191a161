// `npm start`: the Temporal dev server (SQLite under data/, Web UI), the worker and the API,
// in the foreground with prefixed logs. Ctrl-C stops the API and worker, then Temporal.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createAccount } from '../api/accounts';
import { ConfigError, loadConfig, temporalAddress, temporalConnectionOptions, type Config } from '../lib/config';
import { prepareNamespace } from '../lib/namespace';
import { dataConverterOf } from '../lib/payloadCodec';
import { CelcoinEmulator } from '../emulators/celcoin';
import { PlugBoletoEmulator } from '../emulators/plugboleto';
import { startDevServer, type RunningServer } from '../lib/temporalServers';

const root = path.resolve(__dirname, '..');
const say = (source: string, line: string) => process.stdout.write(`[${source.padEnd(8)}] ${line}\n`);

function startNodeProcess(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  // Own process group: Ctrl-C reaches only this script, which stops the children in order.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  const forward = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach((l) => say(name, l));
  child.stdout!.on('data', forward);
  child.stderr!.on('data', forward);
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(force);
}

const key32 = () => randomBytes(32).toString('base64');

/**
 * A demo's key, made once and kept beside the data (data/secrets/<NAME>, readable by this user only): payloads
 * encrypted with it, and the secrets receivers hold, must survive restarts. Production sets its own.
 */
function localSecret(dataDir: string, name: string, make: () => string): string {
  const file = path.join(dataDir, 'secrets', name);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, make(), { mode: 0o600 });
    say('arauto', `${name} unset: generated one into ${file} (set your own in production)`);
  }
  return readFileSync(file, 'utf8').trim();
}

/** Seed 002's example cedente, answered by the emulator with the seed's example software-house credentials. */
const DEMO_CEDENTE = '01001001000113';
const DEMO_SH = { cnpjSh: '01001001000113', tokenSh: 'f22b97c0c9a3d41ac0a3875aba69e5aa' };

async function startPlugBoletoEmulator(config: Config) {
  const emulator = await PlugBoletoEmulator.start({ credentials: { [DEMO_CEDENTE]: DEMO_SH } }, config.PLUGBOLETO_EMULATOR_PORT);
  say('plugboleto', `emulator at ${emulator.url} (PLUGBOLETO_BASE_URL unset); cedente ${DEMO_CEDENTE} with the seed's example credentials`);
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
  const api = `http://localhost:${config.PORT}`;
  const read = (field: string) => `$(node -p "require('${file}').${field}")`;
  say('arauto', `demo account "demo" (its secrets: ${file}); call the API with its API key:`);
  say('arauto', `  curl -H "authorization: Bearer ${read('apiKey')}" ${api}/v1/merchants/demo/credentials`);
  say('arauto', `  or get a token: curl -d grant_type=client_credentials -u "${read('clientId')}:${read('clientSecret')}" ${api}/oauth/token`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  let server: RunningServer | undefined;
  if (config.TEMPORAL_ADDRESS) {
    say('arauto', `using Temporal at ${config.TEMPORAL_ADDRESS} (TEMPORAL_ADDRESS is set: no dev server started)`);
  } else {
    const dataDir = path.resolve(root, config.ARAUTO_DATA_DIR);
    mkdirSync(dataDir, { recursive: true });
    const dbFile = path.join(dataDir, 'temporal.db');
    say('arauto', `starting the Temporal dev server (SQLite: ${dbFile})`);
    server = await startDevServer({
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      dbFile,
      sqlitePragmas: config.TEMPORAL_SQLITE_PRAGMAS,
      uiCodecEndpoint: `http://localhost:${config.PORT}/codec`,
      namespace: config.TEMPORAL_NAMESPACE,
      onOutput: (line) => say('temporal', line),
    });
    say('temporal', `ready at ${server.address}; Web UI: http://localhost:${config.TEMPORAL_UI_PORT}`);
  }

  // Before the API takes a trigger: a delivery starts with the search attributes registered here (the worker
  // does the same, for deployments without this script).
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const setup = await prepareNamespace(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_RETENTION_DAYS);
  await connection.close();
  say('temporal', `namespace ${config.TEMPORAL_NAMESPACE}: logs kept ${setup.retentionDays} days` +
    (setup.registered.length ? `; registered ${setup.registered.join(', ')}` : ''));

  const dataDir = path.resolve(root, config.ARAUTO_DATA_DIR);
  // PlugBoleto: the emulator, unless a real one is configured (README, Return files).
  const plugboleto = config.PLUGBOLETO_BASE_URL ? undefined : await startPlugBoletoEmulator(config);
  const payments = config.PAYMENTS_BASE_URL ? undefined : await startPaymentsEmulator(config);
  const env = {
    ...(plugboleto ?? {}),
    ...(payments ?? {}),
    ...process.env,
    TEMPORAL_ADDRESS: temporalAddress(config),
    WEBHOOK_SIGNING_KEY: config.WEBHOOK_SIGNING_KEY ?? localSecret(dataDir, 'WEBHOOK_SIGNING_KEY', () => key32()),
    PAYLOAD_ENCRYPTION_KEYS:
      config.PAYLOAD_ENCRYPTION_KEYS ?? localSecret(dataDir, 'PAYLOAD_ENCRYPTION_KEYS', () => `local1=${key32()}`),
    CODEC_AUTH_TOKEN: config.CODEC_AUTH_TOKEN ?? localSecret(dataDir, 'CODEC_AUTH_TOKEN', () => key32()),
    ACCESS_TOKEN_KEY: config.ACCESS_TOKEN_KEY ?? localSecret(dataDir, 'ACCESS_TOKEN_KEY', () => key32()),
  };
  say('arauto', `codec endpoint (decodes payloads in the Web UI and the CLI): http://localhost:${config.PORT}/codec ` +
    '(its bearer: CODEC_AUTH_TOKEN; README, Secrets at rest)');
  const children = [startNodeProcess('worker', 'worker/main.ts', env), startNodeProcess('api', 'api/main.ts', env)];

  void demoAccount(loadConfig(env), dataDir).catch((err) => say('arauto', `demo account not created: ${(err as Error).message}`));

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('arauto', 'stopping: API and worker first, then Temporal');
    await Promise.all(children.map(stopProcess));
    await server?.stop();
    say('arauto', 'stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  for (const [i, child] of children.entries()) {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      say('arauto', `${i === 0 ? 'worker' : 'api'} exited (${signal ?? code}); stopping everything`);
      void shutdown(1);
    });
  }
}

main().catch((err) => {
  say('arauto', err instanceof ConfigError ? err.message : `failed to start: ${(err as Error).message}`);
  process.exit(1);
});
