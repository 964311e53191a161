// What Arauto needs of its namespace, set up by the worker (and `npm start`) at start-up: the search attributes the
// logs per URL are searched by, and a retention that keeps those logs (G7). Idempotent; several may run at once.
import { isGrpcServiceError, type ConnectionLike } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/searchAttributes';

const { IndexedValueType } = temporal.api.enums.v1;
const INDEXED_TYPE = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
} as const;
const DAY_S = 86_400;
// gRPC status codes.
const UNIMPLEMENTED = 12;
const ALREADY_EXISTS = 6;

export interface NamespaceSetup {
  /** Search attributes this call registered (empty when all were there). */
  registered: string[];
  /** The namespace's retention in days after this call. */
  retentionDays: number;
  /** The server has no namespace settings (the time-skipping test server): retention untouched. */
  unsupported?: boolean;
}

export async function prepareNamespace(
  connection: ConnectionLike, namespace: string, retentionDays: number,
): Promise<NamespaceSetup> {
  const registered = await registerSearchAttributes(connection, namespace);
  const retention = await unlessUnimplemented(() => keepLogs(connection, namespace, retentionDays));
  // The time-skipping test server has no namespace settings to read or change.
  return { registered, retentionDays: retention ?? 0, ...(retention === undefined ? { unsupported: true } : {}) };
}

/** Raises the namespace's retention to `days` when shorter; answers the retention in days. */
async function keepLogs(connection: ConnectionLike, namespace: string, days: number): Promise<number> {
  const { config } = await connection.workflowService.describeNamespace({ namespace });
  const current = Number(config?.workflowExecutionRetentionTtl?.seconds ?? 0);
  if (current >= days * DAY_S) return current / DAY_S;
  await connection.workflowService.updateNamespace({
    namespace, config: { workflowExecutionRetentionTtl: msToTs(days * DAY_S * 1000) },
  });
  return days;
}

async function registerSearchAttributes(connection: ConnectionLike, namespace: string): Promise<string[]> {
  // The time-skipping test server registers but cannot list: then register all, and let "exists" pass.
  const existing = await unlessUnimplemented(async () =>
    (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {});
  const missing = SEARCH_ATTRIBUTES.filter((key) => !existing || !(key.name in existing));
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_TYPE[key.type as keyof typeof INDEXED_TYPE]])),
    });
  } catch (err) {
    // Another process registered them in between.
    if (!(isGrpcServiceError(err) && err.code === ALREADY_EXISTS)) throw err;
    return [];
  }
  return missing.map((key) => key.name);
}

async function unlessUnimplemented<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === UNIMPLEMENTED) return undefined;
    throw err;
  }
}
