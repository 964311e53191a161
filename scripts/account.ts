// `npm run account -- <merchantId> [--email address]`: the operator bootstrap (issue 5). Creates the account when
// missing and issues it an OAuth client and an API key, printed once: only their digests are kept.
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { createAccount } from '../api/accounts';
import { ConfigError, temporalAddress, temporalConnectionOptions } from '../lib/config';
import { dataConverterOf } from '../lib/payloadCodec';
import { localConfig } from './localStack';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { email: { type: 'string' } }, allowPositionals: true });
  const merchantId = positionals[0];
  if (!merchantId || !/^[A-Za-z0-9_-]{1,64}$/.test(merchantId)) {
    throw new ConfigError('usage: npm run account -- <merchantId: 1–64 of A-Z a-z 0-9 _ -> [--email address]');
  }
  // After a plain `npm start`: its keys and addresses (scripts/localStack.ts), unless the environment sets them.
  const { config, running } = localConfig();
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterOf(config) });
    const [oauth, apiKey] = await createAccount({ client, config }, merchantId, values.email);
    process.stdout.write([
      running
        ? `the API of npm start (pid ${running.pid}): ${config.PUBLIC_API_URL}; Temporal at ${temporalAddress(config)}`
        : `the API: ${config.PUBLIC_API_URL} (PUBLIC_API_URL); Temporal at ${temporalAddress(config)}`,
      `account ${merchantId}: credentials, shown this once (only their digests are kept)`,
      `  OAuth client   client_id=${oauth.clientId} client_secret=${oauth.secret}`,
      `                 curl -d grant_type=client_credentials -u '${oauth.clientId}:${oauth.secret}' ${config.PUBLIC_API_URL}/oauth/token`,
      `  API key        ${apiKey.secret}`,
      `                 curl -H 'authorization: Bearer ${apiKey.secret}' ${config.PUBLIC_API_URL}/v1/merchants/${merchantId}/credentials`,
      '',
    ].join('\n'));
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
  process.exit(1);
});
