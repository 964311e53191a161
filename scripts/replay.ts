// D6: replays a workflow history against the current workflow code; exits 1, printing the divergence, when the
// code would not reproduce it (a change that breaks running workflows).
//   npm run replay -- history.json [more.json …]   JSON of `temporal workflow show -o json` or `tctl workflow show --output_filename`
//   npm run replay -- --workflow-id ID [--run-id R] fetched from Temporal (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE)
// Encrypted histories need the PAYLOAD_ENCRYPTION_KEYS they were written with: one whose key is not listed is not
// replayed and exits 2 (a key problem is not a divergence); 1 wins when a history also diverges.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { parseKeys, required, temporalAddress, temporalConnectionOptions } from '../lib/config';
import { dataConverterOf, KEY_ID } from '../lib/payloadCodec';
import { localConfig } from './localStack';

const usage = 'usage: npm run replay -- <history.json …> | --workflow-id ID [--run-id RUN]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'workflow-id': { type: 'string' }, 'run-id': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || (positionals.length === 0) === (values['workflow-id'] === undefined)) {
    console.error(usage);
    return 2;
  }
  // The verdicts below, not the replay worker's chatter (nor Core's own warning for each divergence it finds).
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { forward: {}, filter: { core: 'ERROR', other: 'ERROR' } } } });
  // After a plain `npm start`: its keys and addresses (scripts/localStack.ts), unless the environment sets them.
  const { config, running } = localConfig();
  const dataConverter = dataConverterOf(config);
  const options = { workflowsPath: require.resolve('../workflows'), dataConverter };

  const histories: { name: string; history: unknown }[] = [];
  if (values['workflow-id']) {
    console.log(`from Temporal at ${temporalAddress(config)}` +
      (running ? ` (npm start, pid ${running.pid}; its API: ${config.PUBLIC_API_URL})` : ''));
    const connection = await Connection.connect(temporalConnectionOptions(config));
    try {
      const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
      const handle = client.workflow.getHandle(values['workflow-id'], values['run-id']);
      histories.push({ name: values['workflow-id'], history: await handle.fetchHistory() });
    } finally {
      await connection.close();
    }
  } else {
    for (const file of positionals) histories.push({ name: path.basename(file), history: JSON.parse(readFileSync(file, 'utf8')) });
  }

  const known = new Set(parseKeys(required(config, 'PAYLOAD_ENCRYPTION_KEYS')).map(([id]) => id));
  let failed = 0;
  let unreadable = 0;
  for (const { name, history } of histories) {
    const events = eventsOf(history);
    const unknownKeys = [...keyIdsOf(history)].filter((id) => !known.has(id));
    if (unknownKeys.length > 0) {
      unreadable++;
      console.log(`SKIP  ${name}: encrypted with ${unknownKeys.map((id) => `"${id}"`).join(', ')}, which ` +
        'PAYLOAD_ENCRYPTION_KEYS does not list; replay it with the keys it was written with');
      continue;
    }
    try {
      await Worker.runReplayHistory(options, history, name);
      console.log(`ok    ${name}: ${events} events replay with the current workflow code`);
    } catch (err) {
      failed++;
      console.log(`FAIL  ${name}: ${events} events; the current workflow code diverges:\n${describe(err)}`);
    }
  }
  return failed > 0 ? 1 : unreadable > 0 ? 2 : 0;
}

/** The ids of the keys the history's payloads were encrypted with (base64 in exported JSON, bytes when fetched). */
function keyIdsOf(history: unknown): Set<string> {
  const ids = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || ArrayBuffer.isView(node)) return;
    const id = (node as Record<string, unknown>)[KEY_ID];
    if (typeof id === 'string') ids.add(Buffer.from(id, 'base64').toString());
    else if (id instanceof Uint8Array) ids.add(Buffer.from(id).toString());
    else Object.values(node).forEach(visit);
  };
  visit(history);
  return ids;
}

function eventsOf(history: unknown): number | string {
  const events = (history as { events?: unknown[] } | undefined)?.events;
  return Array.isArray(events) ? events.length : '?';
}

function describe(err: unknown): string {
  const lines: string[] = [];
  for (let e: any = err; e; e = e.cause) lines.push(`  ${e.name ?? 'Error'}: ${e.message ?? String(e)}`);
  return lines.join('\n');
}

main().then((code) => process.exit(code), (err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
});
