// A Temporal server on PostgreSQL for the bench, next to the SQLite dev server: a throwaway PostgreSQL
// cluster and the full `temporal-server`, both from `npm run provision:postgres`, under opts.dataDir.
// Manual use: `npx tsx bench/postgresTemporal.ts [dataDir]` prints the address; Ctrl-C stops both.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stopChild, TEMPORAL_CLI, waitForTemporal, type RunningServer } from '../lib/temporalServers';
import { freePort } from '../lib/freePort';

const root = path.resolve(__dirname, '..');
const TEMPORAL_SERVER = path.join(root, '.tools/bin/temporal-server');
const SQL_TOOL = path.join(root, '.tools/bin/temporal-sql-tool');
const PROVISION_HELP = 'run `npm run provision:postgres` (needs Go >= 1.23; installs Debian\'s postgresql when missing)';
const NAMESPACE = 'default';
// Same as the dev server's default namespace: long enough for any bench, closed runs do not pile up.
const RETENTION = '24h';

export interface PostgresTemporalOptions {
  dataDir: string;
  onOutput?: (line: string) => void;
}

export type PostgresTemporal = RunningServer & { postgresPid?: number };

/** Fresh PostgreSQL cluster + schemas + temporal-server + `default` namespace; stop() tears both down. */
export async function startPostgresTemporal(opts: PostgresTemporalOptions): Promise<PostgresTemporal> {
  const pgBin = postgresBinDir();
  const schemas = schemaDirs();
  for (const bin of [TEMPORAL_SERVER, SQL_TOOL, TEMPORAL_CLI]) {
    if (!existsSync(bin)) throw new Error(`${path.relative(root, bin)} is missing: ${PROVISION_HELP}`);
  }
  const log = (line: string) => opts.onOutput?.(line);
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });

  const pg = await startPostgres(pgBin, dataDir, log);
  let server: ChildProcess | undefined;
  let serverExited: Promise<unknown> = Promise.resolve();
  const stop = async () => {
    if (server) await stopChild(server, serverExited, 15_000);
    await pg.stop();
  };
  try {
    await applySchemas(pg.port, schemas, log);
    const config = await writeServerConfig(dataDir, pg.port);
    // Own process group, as scripts/start.ts does: a Ctrl-C reaches only us, and stop() keeps the order.
    server = spawn(TEMPORAL_SERVER, ['--root', dataDir, '--config', 'temporal-config', '--env', 'bench',
      '--allow-no-auth', 'start'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    forwardLines(server, log);
    const child = server;
    serverExited = new Promise((resolve) => child.once('exit', resolve));
    const died = serverExited.then((code) => {
      throw new Error(`temporal-server exited early (${String(code)}); its output went to onOutput`);
    });
    // temporal-system exists as soon as the server is up; `default` is ours to create.
    await Promise.race([waitForTemporal(config.address, 'temporal-system', 120_000), died]);
    await Promise.race([createNamespace(config.address, log), died]);
    await Promise.race([waitForTemporal(config.address, NAMESPACE), died]);
    return { address: config.address, pid: server.pid, postgresPid: pg.pid, stop };
  } catch (err) {
    await stop().catch((stopErr) => log(`cleanup after a failed start: ${String(stopErr)}`));
    throw err;
  }
}

/** The newest /usr/lib/postgresql/<major>/bin with both initdb and pg_ctl (Debian's layout). */
function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base) ? readdirSync(base).filter((d) => /^\d+$/.test(d)).sort((a, b) => +b - +a) : [];
  for (const major of majors) {
    const bin = path.join(base, major, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  throw new Error(`no PostgreSQL (initdb, pg_ctl) under ${base}/*/bin: ${PROVISION_HELP}`);
}

/** The postgresql v12 schema dirs of the exact server version built (its .tag), in the shared module cache. */
function schemaDirs(): { temporal: string; visibility: string } {
  const tagFile = `${TEMPORAL_SERVER}.tag`;
  if (!existsSync(tagFile)) throw new Error(`${path.relative(root, tagFile)} is missing: ${PROVISION_HELP}`);
  const version = readFileSync(tagFile, 'utf8').trim();
  // go.temporal.io has no upper case, so the module cache path needs no `!` escaping.
  const dir = path.join(root, '.tools/go/pkg/mod/go.temporal.io', `server@${version}`, 'schema/postgresql/v12');
  const found = { temporal: path.join(dir, 'temporal/versioned'), visibility: path.join(dir, 'visibility/versioned') };
  if (!existsSync(found.temporal) || !existsSync(found.visibility)) {
    throw new Error(`no PostgreSQL schemas for temporal-server ${version} under ${dir}: ${PROVISION_HELP}`);
  }
  return found;
}

// PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user (Debian's package makes it).
const asRoot = process.getuid?.() === 0;
const pgCommand = (bin: string, args: string[]): [string, string[]] =>
  asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];

async function startPostgres(pgBin: string, dataDir: string, log: (line: string) => void) {
  const pgData = path.join(dataDir, 'pg');
  const socketDir = path.join(dataDir, 'pg-run');
  if (existsSync(pgData)) throw new Error(`${pgData} already exists: give startPostgresTemporal a fresh dataDir`);
  mkdirSync(pgData, { mode: 0o700 });
  mkdirSync(socketDir, { mode: 0o700 });
  if (asRoot) {
    // The postgres user must reach its dirs: traverse (not list) dataDir, e.g. a 0700 mkdtemp dir.
    chmodSync(dataDir, (statSync(dataDir).mode & 0o7777) | 0o711);
    await run('chown', ['postgres:postgres', pgData, socketDir]);
  }
  // cwd /: the postgres user may not be allowed into ours.
  const pg = (tool: string, args: string[]) => run(...pgCommand(path.join(pgBin, tool), args), '/');
  // trust: a throwaway cluster reachable only on 127.0.0.1 and a socket in dataDir; no password to pass around.
  // C locale: no dependency on the machine's locales; --no-sync: a throwaway cluster needs no durable initdb.
  await pg('initdb', ['-D', pgData, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  writeFileSync(path.join(pgData, 'postgresql.conf'), [
    readFileSync(path.join(pgData, 'postgresql.conf'), 'utf8'),
    '# bench/postgresTemporal.ts',
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${socketDir}'`,
    // Each Temporal service (4 in one process) has its own pools: 4 x (20 + 10) = 120, plus the schema tool.
    'max_connections = 200',
    // Default 128MB; the bench's working set (histories, timers, task queues) then stays in memory.
    'shared_buffers = 256MB',
    // Default 1GB: fewer checkpoints in the middle of a run, so they do not show up as latency spikes.
    'max_wal_size = 2GB',
    // Temporal's queries are short point reads and writes; JIT compilation would only add latency.
    'jit = off',
    // fsync and synchronous_commit stay on: a commit is durable, as Temporal assumes of its store.
    '',
  ].join('\n'));
  const logFile = path.join(pgData, 'postgres.log');
  try {
    await pg('pg_ctl', ['-D', pgData, '-l', logFile, '-w', '-t', '60', 'start']);
  } catch (err) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    throw new Error(`${String(err)}\n${path.relative(process.cwd(), logFile)}:\n${tail}`);
  }
  log(`postgresql ${path.basename(path.dirname(pgBin))} on 127.0.0.1:${port}, data in ${pgData}`);
  const pid = Number(readFileSync(path.join(pgData, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let stopped = false;
  return {
    port,
    pid,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (!existsSync(path.join(pgData, 'postmaster.pid'))) return; // already down (e.g. a signal to its group)
      await pg('pg_ctl', ['-D', pgData, '-m', 'fast', '-w', '-t', '60', 'stop']);
    },
  };
}

async function applySchemas(port: number, dirs: { temporal: string; visibility: string }, log: (l: string) => void) {
  for (const [db, dir] of [['temporal', dirs.temporal], ['temporal_visibility', dirs.visibility]] as const) {
    const tool = (...args: string[]) => run(SQL_TOOL, ['--plugin', 'postgres12', '--ep', '127.0.0.1', '--port',
      String(port), '--user', 'postgres', '--db', db, ...args]);
    await tool('create-database');
    await tool('setup-schema', '-v', '0.0');
    await tool('update-schema', '-d', dir);
    log(`schema applied to ${db} (${path.relative(root, dir)})`);
  }
}

async function writeServerConfig(dataDir: string, pgPort: number) {
  const [frontend, history, matching, worker] = [0, 1, 2, 3];
  const grpcPorts = await Promise.all([0, 1, 2, 3].map(() => freePort()));
  const membershipPorts: number[] = [];
  for (let i = 0; i < 4; i++) membershipPorts.push(await freeLowPort(membershipPorts));
  const grpc = (i: number) => grpcPorts[i];
  const membership = (i: number) => membershipPorts[i];
  const address = `127.0.0.1:${grpc(frontend)}`;
  const store = (db: string, maxConns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${db}
        connectAddr: "127.0.0.1:${pgPort}"
        connectProtocol: tcp
        user: postgres
        password: ""
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h`;
  const service = (i: number) => `
    rpc:
      grpcPort: ${grpc(i)}
      membershipPort: ${membership(i)}
      bindOnLocalHost: true`;
  const configDir = path.join(dataDir, 'temporal-config');
  mkdirSync(configDir, { recursive: true });
  const dynamicConfig = path.join(configDir, 'dynamic.yaml');
  // Loaded by temporal-server as <root>/<config>/<env>.yaml. No metrics, pprof, HTTP API or archival: unused here.
  writeFileSync(path.join(configDir, 'bench.yaml'), `# bench/postgresTemporal.ts
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  # Fixed for the cluster's life. The dev server has 1; production has hundreds. A few let history work
  # proceed in parallel on a 2-core machine without the per-shard overhead (task queues, range locks).
  numHistoryShards: 4
  datastores:
    postgres-default:${store('temporal', 20)}
    postgres-visibility:${store('temporal_visibility', 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:${service(frontend)}
  history:${service(history)}
  matching:${service(matching)}
  worker:${service(worker)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "${address}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: "${dynamicConfig}"
  pollInterval: 10s
`);
  // The throughput limits the dev server (Temporal CLI) raises, so both servers differ only in their store.
  writeFileSync(dynamicConfig, `# bench/postgresTemporal.ts: as temporal server start-dev (CLI v1.5.1)
frontend.persistenceMaxQPS:
  - value: 10000
history.persistenceMaxQPS:
  - value: 45000
frontend.namespaceRPS.visibility:
  - value: 100
history.hostLevelCacheMaxSize:
  - value: 8096
# Off already without the HTTP API (not configured); this only silences the start-up warning.
system.enableNexus:
  - value: false
`);
  return { address };
}

// Membership ports are stored in cluster_membership.rpc_port, a SMALLINT in the PostgreSQL schema, so they must
// be below 32768: freePort's are from Linux's ephemeral range (32768-60999) and made the server exit at start-up.
async function freeLowPort(taken: number[]): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    if (taken.includes(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free loopback port below 32768 for temporal-server membership');
}

async function createNamespace(address: string, log: (line: string) => void): Promise<void> {
  // Right after start-up the frontend may answer before the server can register namespaces: retry briefly.
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await run(TEMPORAL_CLI, ['operator', 'namespace', 'create', '--address', address, '--namespace', NAMESPACE,
        '--retention', RETENTION]);
      log(`namespace ${NAMESPACE} registered (retention ${RETENTION})`);
      return;
    } catch (err) {
      if (/already exists|AlreadyExists/i.test(String(err))) return;
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Runs a command to completion; rejects with its output when it fails. */
function run(cmd: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`\`${[cmd, ...args].join(' ')}\` failed (${code ?? signal}):\n${output.trim()}`));
    });
  });
}

function forwardLines(child: ChildProcess, log: (line: string) => void): void {
  const forward = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(log);
  child.stdout!.on('data', forward);
  child.stderr!.on('data', forward);
}

if (require.main === module) {
  const dataDir = process.argv[2] ?? mkdtempSync(path.join(os.tmpdir(), 'arauto-pg-temporal-'));
  const say = (line: string) => process.stdout.write(`[pg-temporal] ${line}\n`);
  startPostgresTemporal({ dataDir, onOutput: say }).then(
    (server) => {
      say(`ready: TEMPORAL_ADDRESS=${server.address} (temporal-server pid ${server.pid}, postgres pid ` +
        `${server.postgresPid}, data in ${dataDir}); Ctrl-C stops both`);
      let stopping = false;
      const shutdown = () => {
        if (stopping) return;
        stopping = true;
        say('stopping temporal-server, then postgresql');
        server.stop().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    },
    (err) => { console.error(err); process.exit(1); },
  );
}
