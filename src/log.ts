// JSON-line logging (pino), pretty on a terminal, with secrets redacted wherever they appear.
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** Field paths that may carry credentials; pino replaces their values before anything is written. */
const REDACT = [
  '*.apiKey',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.privateKey',
  '*.authorization',
  '*.Authorization',
  '*.headers.authorization',
  '*.key',
  'config.*KEY*',
  'config.*TOKEN*',
  'config.*SECRET*',
];

export interface LogOptions {
  level?: string;
  /** Pretty, human-readable lines; defaults to true when stdout is a terminal. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LogOptions = {}): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY === true && !options.destination);
  const base = {
    level: options.level ?? 'info',
    base: undefined,
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } },
    });
  }
  return options.destination ? pino(base, options.destination) : pino(base);
}

/** A logger that writes nothing: the default for library code and tests that do not inspect logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
