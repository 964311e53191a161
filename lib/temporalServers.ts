// Finds and starts the Temporal servers provisioned by scripts/provision.sh (.tools/),
// falling back to the SDK's own download where they are missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../workflows/searchAttributes';
import { freePort } from './freePort';

const root = path.resolve(__dirname, '..');
export const TEMPORAL_CLI = path.join(root, '.tools/bin/temporal');
export const TIME_SKIPPING_SERVER = path.join(root, '.tools/test-server/bin/temporal-test-server');

export const MISSING_SERVERS_HELP =
  'No Temporal server could be started. Run `npm run provision` (needs Go >= 1.23 for the dev server, ' +
  'Java >= 17 and Maven for the time-skipping test server), or give the SDK internet access to download ' +
  'its own, or set TEMPORAL_ADDRESS to a running server.';

/** How `@temporalio/testing` should obtain the time-skipping test server. */
export function timeSkippingExecutable() {
  return existsSync(TIME_SKIPPING_SERVER)
    ? ({ type: 'existing-path', path: TIME_SKIPPING_SERVER } as const)
    : ({ type: 'cached-download' } as const);
}

/** Resolves once the frontend at `address` answers for `namespace`. */
export async function waitForTemporal(address: string, namespace: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal at ${address} did not become ready in ${timeoutMs} ms: ${String(lastError)}`);
}

export interface DevServerOptions {
  port: number;
  uiPort?: number; // omitted: no Web UI
  dbFile?: string; // omitted: in memory
  /** `PRAGMA=VALUE` statements for the dev server's SQLite file (e.g. `journal_mode=wal`). */
  sqlitePragmas?: string[];
  /** Where the Web UI sends payloads to decode (the API's /codec). */
  uiCodecEndpoint?: string;
  /** `KEY=VALUE` dynamic configuration of the dev server (e.g. `system.enableActivityEagerExecution=true`). */
  dynamicConfig?: string[];
  namespace?: string;
  onOutput?: (line: string) => void;
}

export interface RunningServer {
  address: string;
  /** The server's process, when this code spawned it. */
  pid?: number;
  stop(): Promise<void>;
}

/**
 * What every dev server Arauto starts runs with (docs/performance.md). Eager activity dispatch hands a delivery
 * attempt to the worker in the answer to the workflow task that schedules it, skipping a task-queue round trip; the
 * server ships it off, and production servers need it too (docker-compose.yml). The CLI makes the dev server reread
 * its search attributes from SQLite on every use, so that ones registered a moment ago are seen at once; Arauto's
 * are registered before it boots (`--search-attribute`), so that read, a tenth of its CPU per delivery, is off.
 */
const DEV_SERVER_DYNAMIC_CONFIG = [
  'system.enableActivityEagerExecution=true', 'system.forceSearchAttributesCacheRefreshOnRead=false',
];
/** The CLI's name of a search attribute type: KEYWORD_LIST → KeywordList. */
const cliTypeName = (type: string) => type.split('_').map((w) => w[0] + w.slice(1).toLowerCase()).join('');

/** Arauto's dynamic configuration and search attributes, as `temporal server start-dev` arguments. */
function arautoArgs(opts: DevServerOptions): string[] {
  return [
    ...[...DEV_SERVER_DYNAMIC_CONFIG, ...(opts.dynamicConfig ?? [])].flatMap((value) => ['--dynamic-config-value', value]),
    ...SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliTypeName(key.type)}`]),
  ];
}

/** The server at TEMPORAL_ADDRESS when set (nothing spawned), else a fresh in-memory dev server. */
export async function existingOrDevServer(): Promise<RunningServer> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (address) return { address, stop: async () => undefined };
  return startDevServer({ port: await freePort() });
}

/** The arguments of the provisioned CLI's `temporal server start-dev` (`npm start` spawns it under supervision). */
export function devServerArgs(opts: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port),
    '--namespace', opts.namespace ?? 'default', '--log-level', 'error'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  for (const pragma of opts.sqlitePragmas ?? []) args.push('--sqlite-pragma', pragma);
  args.push(...arautoArgs(opts));
  return args;
}

/**
 * The dev server's environment: Go's collector at its default (GOGC=100) took a large share of the server's CPU
 * under load; 400 trades memory for it (docs/performance.md). A GOGC of the caller's wins.
 */
export const devServerEnv = (): NodeJS.ProcessEnv => ({ GOGC: '400', ...process.env });

/** Starts `temporal server start-dev` (the provisioned CLI, else the SDK's download). */
export async function startDevServer(opts: DevServerOptions): Promise<RunningServer> {
  const namespace = opts.namespace ?? 'default';
  const address = `127.0.0.1:${opts.port}`;
  if (!existsSync(TEMPORAL_CLI)) return startDownloadedDevServer(opts, address, namespace);

  const child = spawn(TEMPORAL_CLI, devServerArgs(opts), { stdio: ['ignore', 'pipe', 'pipe'], env: devServerEnv() });
  const forward = (chunk: Buffer) =>
    chunk.toString().split('\n').filter(Boolean).forEach((l) => opts.onOutput?.(l));
  child.stdout!.on('data', forward);
  child.stderr!.on('data', forward);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await Promise.race([
    waitForTemporal(address, namespace),
    exited.then((code) => { throw new Error(`temporal dev server exited early with code ${code}`); }),
  ]);
  return { address, pid: child.pid, stop: () => stopChild(child, exited) };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function startDownloadedDevServer(opts: DevServerOptions, address: string, namespace: string) {
  // Lazy: @temporalio/testing is only needed for this fallback.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        ip: '127.0.0.1',
        port: opts.port,
        namespace,
        ui: opts.uiPort !== undefined,
        uiPort: opts.uiPort,
        dbFilename: opts.dbFile,
        extraArgs: arautoArgs(opts),
      },
    });
    return { address, stop: () => env.teardown() };
  } catch (err) {
    throw new Error(`${MISSING_SERVERS_HELP}\nThe SDK's download failed: ${String(err)}`);
  }
}
