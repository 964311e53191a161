// The Temporal server a benchmark runs against: the dev server on a SQLite file (`dev`), temporal-server on
// PostgreSQL (`postgres`, after `npm run provision:postgres`), or TEMPORAL_ADDRESS with nothing spawned.
import path from 'node:path';
import type { Config } from '../lib/config';
import { startDevServer, type RunningServer } from '../lib/temporalServers';
import { freePort } from '../lib/freePort';
import { startPostgresTemporal } from './postgresTemporal';
import { diskMb } from './resources';

export interface BenchServer {
  address: string;
  /** What it is, for the report. */
  name: string;
  /** Processes whose CPU and memory are the server's. */
  pids: (number | undefined)[];
  /** MB of storage it uses now (0 when not ours to read). */
  storageMb(): number;
  stop(): Promise<void>;
}

export async function startBenchServer(kind: string, dataDir: string, config: Config): Promise<BenchServer> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (address) {
    // An existing server: nothing spawned, its memory and disk are not ours to read.
    return { address, name: `TEMPORAL_ADDRESS=${address}`, pids: [], storageMb: () => 0, stop: async () => undefined };
  }
  let server: RunningServer;
  if (kind === 'postgres') {
    const pg = await startPostgresTemporal({ dataDir });
    return {
      address: pg.address,
      name: 'temporal-server 1.29.1 on PostgreSQL (Debian), 4 history shards',
      pids: [pg.pid, pg.postgresPid],
      storageMb: () => diskMb(path.join(dataDir, 'pg/base'), path.join(dataDir, 'pg/pg_wal')),
      stop: () => pg.stop(),
    };
  }
  if (kind !== 'dev') throw new Error(`--server must be dev or postgres, not ${kind}`);
  const dbFile = path.join(dataDir, 'temporal.db');
  const sqlitePragmas = config.TEMPORAL_SQLITE_PRAGMAS;
  server = await startDevServer({ port: await freePort(), dbFile, sqlitePragmas });
  return {
    address: server.address,
    name: `dev server (temporal CLI, SQLite file, pragmas: ${sqlitePragmas.join(' ') || 'none'})`,
    pids: [server.pid],
    storageMb: () => diskMb(dbFile, `${dbFile}-wal`),
    stop: () => server.stop(),
  };
}
