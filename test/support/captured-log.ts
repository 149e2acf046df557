// A logger whose JSON lines a test can read back.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log.ts';

/** One parsed log line: pino's level number, the message, and the other fields. */
export interface LogLine {
  level: number;
  msg: string;
  service?: string;
  err?: string;
  [field: string]: unknown;
}

/** A logger at `level` (default info) and the lines it has written so far. */
export function capturedLog(level: 'debug' | 'info' | 'warn' = 'info'): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger({ level, pretty: false, destination }), lines };
}
