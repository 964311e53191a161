// Configuration, from environment variables only, validated once at start-up.
import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const positiveNumber = z.coerce.number().positive();

const plugboletoCredentials = z.record(z.string().regex(/^(\d{11}|\d{14})$/), z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('softwareHouse'), cnpjSh: z.string().regex(/^\d{14}$/), tokenSh: z.string().min(1) }),
  z.object({ mode: z.literal('cedente'), tokenCedente: z.string().min(1) }),
]));

export const configSchema = z.object({
  /** host:port of an existing Temporal frontend. Unset: `npm start` runs a dev server on TEMPORAL_PORT. */
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /**
   * TLS to the frontend: on by default when any TEMPORAL_TLS_* file or TEMPORAL_API_KEY is set (a self-hosted
   * cluster with TLS, or Temporal Cloud), off otherwise; `true` forces it with the system's CAs.
   */
  TEMPORAL_TLS: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** PEM file of the CA that signed the frontend's certificate (a private CA); unset: the system's CAs. */
  TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
  /** PEM files of this client's certificate and key, for mTLS (Temporal Cloud's mTLS namespaces); both or neither. */
  TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
  /** The name the frontend's certificate carries, when it differs from TEMPORAL_ADDRESS's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** A Temporal Cloud API key (sent as `authorization: Bearer …`); never logged. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('arauto'),
  /** Ports of the dev server that `npm start` runs when TEMPORAL_ADDRESS is unset. */
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  /** Where the dev server keeps its SQLite file. */
  ARAUTO_DATA_DIR: z.string().min(1).default('data'),
  /**
   * Comma-separated `PRAGMA=VALUE` for the dev server's SQLite file. The default (WAL, synchronous=NORMAL)
   * survives any process crash and more than doubles throughput (docs/performance.md); use
   * `journal_mode=wal,synchronous=full` to also survive power loss, `none` for SQLite's own defaults.
   */
  TEMPORAL_SQLITE_PRAGMAS: z
    .string()
    .default('journal_mode=wal,synchronous=normal')
    .transform((s) => (s === 'none' ? [] : s.split(',').map((p) => p.trim()).filter(Boolean)))
    .pipe(z.array(z.string().regex(/^[a-z_]+=[A-Za-z0-9_]+$/, 'expected PRAGMA=VALUE[,PRAGMA=VALUE…]'))),
  /**
   * How long closed notifications stay in the logs (G7): the namespace's retention, raised to this at start-up
   * when shorter (never lowered). 0 leaves the namespace as it is.
   */
  TEMPORAL_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** How long a notification not sent (held or failed) waits for a resend (G8) before it closes, still not sent. */
  RESEND_WINDOW_DAYS: z.coerce.number().positive().max(3650).default(30),
  /** HTTP port of the REST API. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Divides every retry delay (D2). 1 in production; e.g. 60 turns minutes into seconds for demos. */
  RETRY_DELAY_DIVISOR: positiveNumber.default(1),
  /** How long one callback POST may take before it counts as a failed attempt (G2: "promptly"). */
  CALLBACK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * How long past CALLBACK_TIMEOUT_MS an attempt may go unreported before it is recorded as `outcome_unknown` and
   * made again: how soon a dead worker's attempts are found, and how long a stalled worker may stall without
   * being taken for dead (docs/operating.md, Reliability).
   */
  CALLBACK_REPORT_GRACE_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /**
   * Networks callbacks may reach although they are not public (loopback, private, link-local), comma-separated
   * CIDRs, e.g. `127.0.0.0/8,::1/128` for a receiver on this machine. Empty (the default): public addresses only.
   */
  CALLBACK_ALLOWED_NETWORKS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((n) => n.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine(isCidr, 'expected CIDRs, e.g. 127.0.0.0/8,::1/128'))),
  /**
   * Base64 of at least 32 random bytes (`openssl rand -base64 32`): every endpoint's Standard Webhooks secret is
   * derived from it. The worker signs with it and the API shows the secrets, so both need the same one;
   * `npm start` generates one into ARAUTO_DATA_DIR when unset. Changing it changes every endpoint's secret.
   */
  WEBHOOK_SIGNING_KEY: z.string().refine((s) => isKey(s, 32), 'expected base64 of at least 32 bytes').optional(),
  /**
   * `keyId=base64key[,keyId=base64key…]`, 32-byte keys: payloads are encrypted with the first before they reach
   * Temporal; every listed one decrypts (rotation: put the new key first, keep the old ones while histories hold
   * them). Required by the worker and the API; `npm start` generates one into ARAUTO_DATA_DIR when unset.
   */
  PAYLOAD_ENCRYPTION_KEYS: z.string().refine(isKeySpec, 'expected keyId=base64 of 32 bytes[,…]').optional(),
  /**
   * Bearer token of the codec endpoint (`/codec`) through which the Web UI and the CLI decode payloads for an
   * operator; unset, the endpoint answers 503. At least 24 characters.
   */
  CODEC_AUTH_TOKEN: z.string().min(24).optional(),
  /** The Web UI's origin, allowed to call the codec endpoint from the browser (CORS); unset: temporalUiOrigins. */
  TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Base64 of at least 32 random bytes: signs the API's access tokens (HS256). Required by the API; `npm start`
   * generates one into ARAUTO_DATA_DIR when unset. Changing it ends every access token issued.
   */
  ACCESS_TOKEN_KEY: z.string().refine((s) => isKey(s, 32), 'expected base64 of at least 32 bytes').optional(),
  /** Lifetime of an access token from POST /oauth/token. */
  ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(60).max(86_400).default(900),
  /**
   * Failed authentications allowed per window (docs/security.md): per credential id from one source address, and
   * per source address; past either, that source's attempts answer 429 with Retry-After until the window ends.
   */
  AUTH_FAILURES_PER_CREDENTIAL: z.coerce.number().int().min(1).default(10),
  AUTH_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
  AUTH_FAILURE_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(300),
  /** Throttle windows one API process keeps (at most about 500 bytes each); past it, the oldest are dropped. */
  AUTH_THROTTLE_ENTRIES: z.coerce.number().int().min(2).max(10_000_000).default(50_000),
  /**
   * Proxies in front of the API whose X-Forwarded-For names the client's address (express `trust proxy`):
   * comma-separated addresses, CIDRs, or `loopback`, `linklocal`, `uniquelocal`. Empty: the TCP peer is the source.
   */
  API_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((n) => n.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine(isProxy, 'expected addresses, CIDRs, loopback, linklocal or uniquelocal'))),
  /**
   * PlugBoleto's base URL (P1): `https://homologacao.plugboleto.com.br` (homologação), `https://plugboleto.com.br`
   * (produção), or the emulator (`npm start` runs one and points here when unset).
   */
  PLUGBOLETO_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The payment provider of seed 003 (debt queries, payments); `npm start` runs its emulator when unset. */
  PAYMENTS_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Port of the payment provider's emulator `npm start` runs when PAYMENTS_BASE_URL is unset. */
  PAYMENTS_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(3011),
  /** Port of the emulator `npm start` runs when PLUGBOLETO_BASE_URL is unset. */
  PLUGBOLETO_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(3010),
  /**
   * P2 credentials per cnpj-cedente, JSON: `{"<cnpj>": {"mode": "softwareHouse", "cnpjSh": "…", "tokenSh": "…"}}` or
   * `{"<cnpj>": {"mode": "cedente", "tokenCedente": "…"}}`. Read by the worker's activity only: never in histories.
   */
  PLUGBOLETO_CREDENTIALS: z.string().default('{}').transform((s, ctx) => {
    try {
      return plugboletoCredentials.parse(JSON.parse(s));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected {"<cnpj>": {"mode": "softwareHouse", "cnpjSh", "tokenSh"} | {"mode": "cedente", "tokenCedente"}}' });
      return z.NEVER;
    }
  }),
  /** How long a rotated-out signing secret keeps signing beside the new one. */
  WEBHOOK_SECRET_GRACE_HOURS: z.coerce.number().min(0).max(24 * 90).default(24),
  /**
   * Worker capacity (see docs/performance.md). A callback attempt is an activity, so activity slots bound the
   * attempts in flight on one worker: with the SDK's 100, 100 receivers that never answer would stall every other
   * delivery for CALLBACK_TIMEOUT_MS (bench scenario 7); waiting on a socket costs a slot nothing, so 500.
   */
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(500),
  /** Attempts of deliveries started before attempts were activities (local activities). */
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: z.coerce.number().int().positive().default(500),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(500),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  /**
   * The API process runs a worker too, on its own connection to Temporal: a delivery's first workflow task comes
   * back with its start (eager workflow start), skipping a task-queue round trip (docs/performance.md). Other
   * worker processes may still poll the same task queue.
   */
  API_RUNS_WORKER: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Port of the worker's health endpoint (`GET /healthz`: 200 while it polls, 503 otherwise); unset: none. */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /**
   * Ports of `GET /metrics` (Prometheus text) of the worker (Arauto's counters and the Temporal SDK's own) and of
   * the API (its requests and services, and the gauges read from visibility); unset: none. `npm start` sets
   * 9464 and 9465 (docs/observability.md#metrics).
   */
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  API_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** `json`: one JSON object a line, for a log collector; `pretty`: readable lines (`npm start` sets it for its children). */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  /**
   * An OTLP/HTTP collector's base URL (traces go to `<url>/v1/traces`, JSON), e.g. `http://otel-collector:4318`.
   * Unset: no traces, and no tracer installed (lib/tracing.ts; docs/observability.md, Traces).
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. http://localhost:4318' })
    .optional(),
  /** The traces' `service.name`; unset: `arauto-api` or `arauto-worker` by process. */
  OTEL_SERVICE_NAME: z.string().min(1).max(100).optional(),
  /**
   * Where e-mails go (G4: "Falha na URL de callback"), as a nodemailer connection URL:
   * `smtp://user:pass@mail.example.com:587` (STARTTLS when offered) or `smtps://…:465` (TLS from the start).
   * Unset: e-mails are written to the log instead of sent, so a dev stack needs no mail server.
   */
  SMTP_URL: z
    .string()
    .refine(isSmtpUrl, 'expected smtp://[user:pass@]host[:port] or smtps://…')
    .optional(),
  /** Where merchants reach the REST API: the base of the calls e-mails tell them to make (G4). */
  PUBLIC_API_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).default('http://localhost:3000'),
  /** How long a portal sign-in link (POST …/portal-sessions, or the one e-mailed to the account) can be used: once. */
  PORTAL_LINK_TTL_S: z.coerce.number().int().min(60).max(86_400).default(600),
  /** How long a portal session lasts after sign-in, unless the merchant signs out first. */
  PORTAL_SESSION_TTL_S: z.coerce.number().int().min(300).max(7 * 86_400).default(8 * 3_600),
  /**
   * Who may frame the portal (CSP frame-ancestors): space-separated origins, e.g. the provider's dashboard
   * `https://painel.example.com`; `'none'` (default) forbids embedding.
   */
  PORTAL_FRAME_ANCESTORS: z.string().regex(/^('none'|'self'|https?:\/\/[^\s;,']+)( ('self'|https?:\/\/[^\s;,']+))*$/,
    "expected 'none', or space-separated origins such as https://painel.example.com").default("'none'"),
  /** The From of every e-mail. */
  MAIL_FROM: z
    .string()
    .regex(/@/, 'expected an address, e.g. Arauto <no-reply@example.com>')
    .default('Arauto <no-reply@arauto.local>'),
});

function isKey(value: string, minBytes: number): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length >= minBytes;
}

/** `keyId=base64` pairs; throws naming what is wrong (never echoing a key). */
export function parseKeys(spec: string): [string, Buffer][] {
  const pairs = spec.split(',').map((p) => p.trim()).filter(Boolean).map((pair): [string, Buffer] => {
    const at = pair.indexOf('=');
    const keyId = pair.slice(0, Math.max(at, 0));
    const key = Buffer.from(pair.slice(at + 1), 'base64');
    if (at < 1 || !/^[A-Za-z0-9_.-]{1,32}$/.test(keyId) || key.length !== 32) {
      throw new Error('expected keyId=base64 of 32 bytes[,…] (openssl rand -base64 32)');
    }
    return [keyId, key];
  });
  if (pairs.length === 0) throw new Error('expected at least one keyId=base64 key');
  return pairs;
}

function isKeySpec(value: string): boolean {
  try {
    parseKeys(value);
    return true;
  } catch {
    return false;
  }
}

/** A setting the process cannot run without; the message says how to make one. */
export function required<K extends 'WEBHOOK_SIGNING_KEY' | 'PAYLOAD_ENCRYPTION_KEYS' | 'ACCESS_TOKEN_KEY'>(config: Config, name: K): string {
  const value = config[name];
  if (!value) {
    const example = name === 'PAYLOAD_ENCRYPTION_KEYS' ? 'k1=$(openssl rand -base64 32)' : '$(openssl rand -base64 32)';
    throw new ConfigError(`Invalid configuration:\n  ${name}: required (e.g. ${name}=${example})`);
  }
  return value;
}

export function requiredKey(config: Config, name: 'WEBHOOK_SIGNING_KEY'): Buffer {
  return Buffer.from(required(config, name), 'base64');
}

function isProxy(value: string): boolean {
  return ['loopback', 'linklocal', 'uniquelocal'].includes(value) || ipaddr.isValid(value) || isCidr(value);
}

function isCidr(value: string): boolean {
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}

// The message names the variable, never echoes the value: it may hold the SMTP password.
function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses `env`; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  const lines = parsed.success
    ? inconsistencies(parsed.data)
    : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  if (parsed.success && lines.length === 0) return parsed.data;
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/** Settings that are each valid but not together. */
function inconsistencies(config: Config): string[] {
  const lines: string[] = [];
  if (Boolean(config.TEMPORAL_TLS_CERT_FILE) !== Boolean(config.TEMPORAL_TLS_KEY_FILE)) {
    lines.push('  TEMPORAL_TLS_CERT_FILE, TEMPORAL_TLS_KEY_FILE: set both (mTLS) or neither');
  }
  if (config.TEMPORAL_TLS === false && hasTlsSettings(config)) {
    lines.push('  TEMPORAL_TLS: false, but TLS settings or an API key are set (an API key travels over TLS only)');
  }
  return lines;
}

/** Whether any setting that only makes sense over TLS is set (a private CA, mTLS, a server name, an API key). */
function hasTlsSettings(config: Config): boolean {
  return [config.TEMPORAL_TLS_CA_FILE, config.TEMPORAL_TLS_CERT_FILE, config.TEMPORAL_TLS_SERVER_NAME,
    config.TEMPORAL_API_KEY].some(Boolean);
}

/** The origins of the Web UI, which may call /codec from a browser: TEMPORAL_UI_URL's, or the dev server's UI port. */
export function temporalUiOrigins(config: Config): string[] {
  if (config.TEMPORAL_UI_URL) return [new URL(config.TEMPORAL_UI_URL).origin];
  return [`http://localhost:${config.TEMPORAL_UI_PORT}`, `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`];
}

/** The frontend address the API and worker connect to. */
export function temporalAddress(config: Config): string {
  return config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}`;
}

/**
 * How every process reaches Temporal (the SDK's client and worker connections take the same shape): the address,
 * TLS with an optional private CA and client certificate (mTLS), and an optional API key. docs/deployment.md.
 */
export function temporalConnectionOptions(config: Config) {
  const tls = config.TEMPORAL_TLS ?? hasTlsSettings(config);
  return {
    address: temporalAddress(config),
    tls: tls
      ? {
        serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME,
        serverRootCACertificate: readPem(config, 'TEMPORAL_TLS_CA_FILE'),
        clientCertPair: config.TEMPORAL_TLS_CERT_FILE
          ? { crt: readPem(config, 'TEMPORAL_TLS_CERT_FILE')!, key: readPem(config, 'TEMPORAL_TLS_KEY_FILE')! }
          : undefined,
      }
      : false,
    apiKey: config.TEMPORAL_API_KEY,
  };
}

function readPem(config: Config, name: 'TEMPORAL_TLS_CA_FILE' | 'TEMPORAL_TLS_CERT_FILE' | 'TEMPORAL_TLS_KEY_FILE') {
  const file = config[name];
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  ${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`);
  }
}

/** Worker capacity knobs (WORKER_* settings), in the SDK's terms; unset ones keep the SDK's defaults. */
export interface WorkerTuning {
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentLocalActivityExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxCachedWorkflows?: number;
}

export function workerTuning(config: Config): WorkerTuning {
  return {
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentLocalActivityExecutions: config.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
  };
}
