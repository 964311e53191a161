// Structured logs with pino: one JSON object a line by default (for a collector), a readable line under `npm start`
// (LOG_FORMAT=pretty). Warnings and errors go to stderr, the rest to stdout, as they always have. The Temporal SDK's
// own lines come through here too (sdkLogger), in the same format.
import pino from 'pino';
import type { Logger as SdkLogger, LogLevel as SdkLevel, LogMetadata } from '@temporalio/common';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'pretty';
type Fields = Record<string, unknown>;

let format: LogFormat = 'json';

/**
 * pino's destination, written to synchronously (a line logged just before process.exit is not lost); pino tells
 * it each line's level (pino.metadata) so that warnings and errors can go to stderr. No worker-thread transport.
 */
const destination = {
  [Symbol.for('pino.metadata')]: true,
  lastLevel: 0,
  write(line: string): void {
    (this.lastLevel >= pino.levels.values.warn ? process.stderr : process.stdout)
      .write(format === 'pretty' ? pretty(line) : line);
  },
};

const root = pino({
  level: 'info',
  base: undefined, // no pid or hostname on every line: the platform knows where a line came from
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  serializers: { err: errorFields, error: errorFields },
}, destination);

/**
 * An Error as its name, failure type, message, stack and causes, nothing else: pino's own serializer copies every
 * property, and the SDK's "Workflow failed" carries an ApplicationFailure whose details are the delivery's state
 * (its URL, which may hold a token, and the event, which may hold a CPF).
 */
function errorFields(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return err;
  const { type } = err as { type?: unknown };
  return {
    name: err.name,
    ...(typeof type === 'string' ? { type } : {}),
    message: err.message,
    stack: err.stack,
    ...(err.cause !== undefined && depth < 3 ? { cause: errorFields(err.cause, depth + 1) } : {}),
  };
}

/**
 * `2026-12-01T19:05:39.123Z INFO  worker polling taskQueue=arauto …`: the JSON line as a terminal line; an error
 * as `error=Name: message`, its stack on the lines below.
 */
function pretty(line: string): string {
  const { time, level, msg, ...fields } = JSON.parse(line) as Fields;
  const stacks: string[] = [];
  const extra = Object.entries(fields).map(([k, v]) => {
    const e = v as { name?: unknown; message?: unknown; stack?: unknown } | null;
    if (typeof e?.stack === 'string') {
      stacks.push(e.stack.split('\n').slice(1).join('\n'));
      return `${k}=${e.name}: ${e.message}`;
    }
    return `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`;
  }).join(' ');
  return [`${time} ${String(level).toUpperCase().padEnd(5)} ${msg}${extra ? ' ' + extra : ''}`, ...stacks.filter(Boolean)]
    .join('\n') + '\n';
}

/** LOG_LEVEL and LOG_FORMAT as the validated configuration gives them: each process's entry point sets them once. */
export function setLogLevel(level: Level, logFormat: LogFormat = format): void {
  root.level = level;
  format = logFormat;
}

/** Whether a line at `level` would be written: to skip gathering fields for one that would not. */
export const isLogged = (level: Level): boolean => root.isLevelEnabled(level);

export const log = {
  debug: (msg: string, fields?: Fields) => root.debug(fields ?? {}, msg),
  info: (msg: string, fields?: Fields) => root.info(fields ?? {}, msg),
  warn: (msg: string, fields?: Fields) => root.warn(fields ?? {}, msg),
  error: (msg: string, fields?: Fields) => root.error(fields ?? {}, msg),
};

const sdkLevels: Record<SdkLevel, pino.Level> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * The Temporal SDK's Logger (Runtime.install({ logger })) over the same pino logger. Its info lines (bundling
 * stats, every activity started and completed) would drown the delivery logs: WARN and up, unless LOG_LEVEL=debug.
 */
export function sdkLogger(level: Level): SdkLogger {
  const sdk = root.child({}, { level: level === 'debug' ? 'debug' : level === 'error' ? 'error' : 'warn' });
  const write = (l: SdkLevel, message: string, meta?: LogMetadata) => sdk[sdkLevels[l]](sdkFields(meta), message);
  return {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
}

/**
 * The SDK's metadata, with a delivery's workflow id also as `deliveryId`. Its `attempt` is Temporal's attempt of
 * one activity, not the delivery's attempt number: renamed so that `attempt` means one thing in every line.
 */
function sdkFields(meta: LogMetadata = {}): Fields {
  const { attempt, ...fields } = meta as Fields;
  if (attempt !== undefined) fields.activityAttempt = attempt;
  if (fields.workflowType === 'deliverCallback') fields.deliveryId = fields.workflowId;
  return fields;
}
