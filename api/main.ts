// API process: `npm run api` (started for you by `npm start`).
import { Client } from '@temporalio/client';
import { loadConfig, required, type Config } from '../lib/config';
import { log } from '../lib/log';
import { prepareNamespace } from '../lib/namespace';
import { dataConverterOf } from '../lib/payloadCodec';
import { createApp } from './app';
import { apiConnection } from './temporalAway';

async function main(): Promise<void> {
  const config = loadConfig();
  required(config, 'ACCESS_TOKEN_KEY'); // fail at start, not at the first token
  // Lazy and quick to give up: /healthz and the routes answer 503 while Temporal is coming up or away.
  const connection = apiConnection(config);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterOf(config) });
  const server = createApp({ client, config }).listen(config.PORT, () =>
    log.info('api listening', { url: `http://localhost:${config.PORT}`, docs: `http://localhost:${config.PORT}/docs` }),
  );
  void prepareInBackground(client, config);
  const stop = () => {
    server.close(() => {
      connection.close().finally(() => log.info('api stopped'));
    });
    server.closeIdleConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * The worker prepares the namespace too; this covers an API started first (a trigger would otherwise be
 * refused, 503, until the search attributes exist). Retried until Temporal answers.
 */
async function prepareInBackground(client: Client, config: Config): Promise<void> {
  for (;;) {
    try {
      const setup = await prepareNamespace(client.connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_RETENTION_DAYS);
      log.info('namespace ready', { namespace: config.TEMPORAL_NAMESPACE, ...setup });
      return;
    } catch (err) {
      log.warn('namespace not prepared yet; retrying', { error: (err as Error).message });
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

main().catch((err) => {
  log.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
