// The API as api/main.ts serves it, but killing itself (SIGKILL) once a payment's workflow is started and before
// the answer is sent: test/payments.test.ts places a crash exactly there.
import { Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import { apiConnection } from '../../api/temporalAway';
import { loadConfig } from '../../lib/config';
import { log } from '../../lib/log';
import { dataConverterOf } from '../../lib/payloadCodec';

const config = loadConfig();
const connection = apiConnection(config);
const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterOf(config) });
createApp({ client, config }, { afterPaymentStart: () => process.kill(process.pid, 'SIGKILL') })
  .listen(config.PORT, () => log.info('api listening', { port: config.PORT }));
