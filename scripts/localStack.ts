// What `npm start` sets up on this machine beyond the environment, in one place: the keys it generates into
// data/secrets/ and where what it runs listens (data/running.json). `npm start` writes them; the operator scripts
// (`npm run account`, `npm run replay`) read them, so they work after a plain `npm start`, whatever its ports.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, temporalAddress, type Config } from '../lib/config';

const root = path.resolve(__dirname, '..');
const key32 = () => randomBytes(32).toString('base64');

/** The keys a demo needs and how one is made; production sets its own. */
const LOCAL_KEYS = {
  WEBHOOK_SIGNING_KEY: key32,
  PAYLOAD_ENCRYPTION_KEYS: () => `local1=${key32()}`,
  CODEC_AUTH_TOKEN: key32,
  ACCESS_TOKEN_KEY: key32,
} as const;
type LocalKey = keyof typeof LOCAL_KEYS;

export function dataDirOf(config: Config): string {
  return path.resolve(root, config.ARAUTO_DATA_DIR);
}

const secretFile = (dataDir: string, name: string) => path.join(dataDir, 'secrets', name);

/**
 * `npm start`: each key from the environment, else from data/secrets/<NAME> (readable by this user only), made there
 * the first time. Payloads encrypted with them, and the secrets receivers hold, must survive restarts.
 */
export function localKeys(config: Config, say: (line: string) => void): Record<LocalKey, string> {
  const dataDir = dataDirOf(config);
  const key = (name: LocalKey) => {
    if (config[name]) return config[name];
    const file = secretFile(dataDir, name);
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, LOCAL_KEYS[name](), { mode: 0o600 });
      say(`${name} unset: generated one into ${file} (set your own in production)`);
    }
    return readFileSync(file, 'utf8').trim();
  };
  return Object.fromEntries(Object.keys(LOCAL_KEYS).map((name) => [name, key(name as LocalKey)])) as Record<LocalKey, string>;
}

/** Where a running `npm start` listens. */
export interface RunningStack {
  pid: number;
  temporalAddress: string;
  apiUrl: string;
}

const runningFile = (dataDir: string) => path.join(dataDir, 'running.json');

/** `npm start`, once its children run; `stopped` removes it (a killed start leaves it, and its pid tells). */
export function recordRunning(config: Config, apiUrl: string): { stopped(): void } {
  const file = runningFile(dataDirOf(config));
  mkdirSync(path.dirname(file), { recursive: true });
  const running: RunningStack = { pid: process.pid, temporalAddress: temporalAddress(config), apiUrl };
  writeFileSync(file, JSON.stringify(running));
  return { stopped: () => rmSync(file, { force: true }) };
}

function readRunning(dataDir: string): RunningStack | undefined {
  try {
    const running = JSON.parse(readFileSync(runningFile(dataDir), 'utf8')) as RunningStack;
    process.kill(running.pid, 0); // throws when that start is gone
    return running;
  } catch {
    return undefined;
  }
}

/**
 * The operator scripts' configuration: the environment first, then what `npm start` generated (data/secrets/) and
 * where it runs (data/running.json); `running` is that start, when one runs.
 */
export function localConfig(env: NodeJS.ProcessEnv = process.env): { config: Config; running?: RunningStack } {
  const dataDir = dataDirOf(loadConfig(env));
  const keys = Object.fromEntries(Object.keys(LOCAL_KEYS)
    .filter((name) => !env[name] && existsSync(secretFile(dataDir, name)))
    .map((name) => [name, readFileSync(secretFile(dataDir, name), 'utf8').trim()]));
  const running = readRunning(dataDir);
  const where = running && !env.TEMPORAL_ADDRESS && !env.TEMPORAL_PORT
    ? { TEMPORAL_ADDRESS: running.temporalAddress, ...(env.PUBLIC_API_URL ? {} : { PUBLIC_API_URL: running.apiUrl }) }
    : {};
  return { config: loadConfig({ ...keys, ...where, ...env }), running };
}
