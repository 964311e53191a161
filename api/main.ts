// API process: `npm run api` (started for you by `npm start`).
import { Client, Connection } from '@temporalio/client';
import { loadConfig, temporalAddress } from '../lib/config';
import { log } from '../lib/log';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  const address = temporalAddress(config);
  // Lazy: the API starts, and /healthz answers 503, while Temporal is still coming up.
  const connection = Connection.lazy({ address });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const server = createApp({ client, config }).listen(config.PORT, () =>
    log.info('api listening', { url: `http://localhost:${config.PORT}`, docs: `http://localhost:${config.PORT}/docs` }),
  );
  const stop = () => {
    server.close(() => {
      connection.close().finally(() => log.info('api stopped'));
    });
    server.closeIdleConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  log.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
