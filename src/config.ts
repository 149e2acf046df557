// Environment configuration (zod): every variable Baton reads, validated at start-up, with every
// problem reported at once and each saying what to set. Documented in .env.example.
import { z } from 'zod';
import { toMs } from './engine/duration.ts';

/** An unset variable and an empty one (`FOO=` in .env) mean the same: use the default. */
const blankIsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const duration = (example: string) =>
  z.preprocess(
    blankIsUnset,
    z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return undefined;
        try {
          return toMs(/^\d+$/.test(value) ? `${value}s` : value);
        } catch {
          ctx.addIssue({
            code: 'custom',
            message: `'${value}' is not a duration — use forms like ${example}`,
          });
          return z.NEVER;
        }
      }),
  );

const integer = (min: number, max: number) =>
  z.preprocess(
    blankIsUnset,
    z.coerce
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .optional(),
  );

/** The ops endpoints (/healthz, /metrics): localhost only unless BATON_HTTP_HOST says otherwise. */
export const DEFAULT_HTTP_PORT = 9464;
export const DEFAULT_HTTP_HOST = '127.0.0.1';
/** A guessable dashboard token would defeat the sign-in; 20 characters of `openssl rand -hex` is plenty. */
export const MIN_DASHBOARD_TOKEN = 20;

export const RuntimeEnv = z.object({
  BATON_DATA_DIR: z.preprocess(blankIsUnset, z.string().default('./data')),
  BATON_POLL_INTERVAL: duration('60s, 5m'),
  BATON_CONCURRENCY: integer(1, 64),
  BATON_RETENTION_DAYS: integer(1, 3650),
  BATON_SHUTDOWN_GRACE: duration('10s, 1m'),
  BATON_HTTP_PORT: integer(0, 65535),
  BATON_HTTP_HOST: z.preprocess(blankIsUnset, z.string().default(DEFAULT_HTTP_HOST)),
  // The message never repeats the value: it is a secret.
  BATON_DASHBOARD_TOKEN: z.preprocess(
    blankIsUnset,
    z
      .string()
      .min(MIN_DASHBOARD_TOKEN, {
        error: `is too short (at least ${MIN_DASHBOARD_TOKEN} characters) — generate one with \`openssl rand -hex 32\``,
      })
      .optional(),
  ),
  // Scale-out (several `baton start` processes sharing runs). The messages never repeat the value:
  // a Redis URL may carry a password.
  BATON_REDIS_URL: z.preprocess(
    blankIsUnset,
    z
      .url({
        protocol: /^rediss?$/,
        error: 'must be a Redis URL like redis://:password@host:6379 or rediss://… (TLS)',
      })
      .optional(),
  ),
  // `pitch=8,leads=4`: at most that many runs of the recipe at once across the whole group.
  BATON_GROUP_CONCURRENCY: z.preprocess(
    blankIsUnset,
    z
      .string()
      .transform((text, ctx) => {
        const limits: Record<string, number> = {};
        for (const part of text
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)) {
          const match = /^([A-Za-z0-9_-]+)\s*=\s*(\d+)$/.exec(part);
          const limit = match ? Number(match[2]) : 0;
          if (!match?.[1] || limit < 1 || limit > 1000) {
            ctx.addIssue({
              code: 'custom',
              message: `has '${part}': write recipe=limit pairs (limit 1–1000), e.g. pitch=8,leads=4`,
            });
            return z.NEVER;
          }
          limits[match[1]] = limit;
        }
        return limits;
      })
      .optional(),
  ),
  // How long a worker's hold on a run lasts unrenewed: a dead worker's run is taken over after about
  // that. At least 10 s: a busy worker that misses a renewal loses its run to another meanwhile
  // (tried at 5 s on 2 loaded cores: two workers ended up executing one run).
  BATON_QUEUE_LOCK: duration('30s, 1m').refine((ms) => ms === undefined || ms >= 10_000, {
    error: 'must be at least 10s: a busy worker that misses a renewal would lose its run to another',
  }),
  BATON_REDIS_PREFIX: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { error: 'must be letters, digits, _ . : or - (e.g. baton:acme:)' })
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(
    blankIsUnset,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  ),
});

export interface RuntimeConfig {
  dataDir: string;
  pollIntervalMs: number;
  concurrency: number;
  /**
   * BATON_GROUP_CONCURRENCY: per recipe, runs at once across every process of the group (one process
   * without Redis). A recipe's own `concurrency` is what one process runs at once.
   */
  groupConcurrency?: Readonly<Record<string, number>>;
  retentionMs: number;
  shutdownGraceMs: number;
  logLevel: string;
  /** Set by BATON_REDIS_URL: runs, cursors and commands live in Redis, shared by every process. */
  redis?: RedisConfig;
}

export interface RedisConfig {
  url: string;
  /** Key prefix (BATON_REDIS_PREFIX, default `baton:`), so several Batons can share one server. */
  prefix: string;
  /**
   * BATON_QUEUE_LOCK (default 30 s): a worker renews its hold on a running run within this; one that
   * died (SIGKILL, machine gone) has its run taken over by another after about this long.
   */
  queueLockMs?: number;
}

/** `host:port` of a Redis URL, for logs: never the password. */
export function redisAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}

export type ConfigResult<T> = { ok: true; config: T } | { ok: false; problems: string[] };

/** Parses `env` with `schema`; on failure lists one plain line per variable, all at once. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): ConfigResult<z.infer<S>> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const value = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
      const generic = issue.code === 'invalid_type' && issue.message.startsWith('Invalid input');
      const message = generic && value === undefined ? 'is required' : issue.message;
      return `${name} ${message}`;
    }),
  };
}

export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult<RuntimeConfig> {
  const result = parseEnv(RuntimeEnv, env);
  if (!result.ok) return result;
  const e = result.config;
  return {
    ok: true,
    config: {
      dataDir: e.BATON_DATA_DIR,
      pollIntervalMs: e.BATON_POLL_INTERVAL ?? 60_000,
      concurrency: e.BATON_CONCURRENCY ?? 4,
      ...(e.BATON_GROUP_CONCURRENCY ? { groupConcurrency: e.BATON_GROUP_CONCURRENCY } : {}),
      retentionMs: (e.BATON_RETENTION_DAYS ?? 30) * 86_400_000,
      shutdownGraceMs: e.BATON_SHUTDOWN_GRACE ?? 10_000,
      logLevel: e.LOG_LEVEL,
      ...(e.BATON_REDIS_URL
        ? {
            redis: {
              url: e.BATON_REDIS_URL,
              prefix: e.BATON_REDIS_PREFIX ?? 'baton:',
              ...(e.BATON_QUEUE_LOCK ? { queueLockMs: e.BATON_QUEUE_LOCK } : {}),
            },
          }
        : {}),
    },
  };
}

/** Where `baton start` serves /healthz and /metrics; `port` 0 means no HTTP server. */
export interface HttpConfig {
  port: number;
  host: string;
  /** BATON_DASHBOARD_TOKEN: the runs dashboard is served (behind sign-in) only when set. */
  dashboardToken?: string;
}

/**
 * BATON_HTTP_PORT (default 9464; 0 turns the server off), BATON_HTTP_HOST (default 127.0.0.1) and
 * BATON_DASHBOARD_TOKEN (unset: no dashboard).
 * Kept apart from RuntimeConfig so that shape stays as it is; both read the same RuntimeEnv.
 */
export function loadHttpConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult<HttpConfig> {
  const result = parseEnv(RuntimeEnv, env);
  if (!result.ok) return result;
  return {
    ok: true,
    config: {
      port: result.config.BATON_HTTP_PORT ?? DEFAULT_HTTP_PORT,
      host: result.config.BATON_HTTP_HOST,
      ...(result.config.BATON_DASHBOARD_TOKEN ? { dashboardToken: result.config.BATON_DASHBOARD_TOKEN } : {}),
    },
  };
}
