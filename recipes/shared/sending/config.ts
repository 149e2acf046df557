// The sending manners' variables, shared by every recipe that sends: GMAIL_DAILY_LIMIT, SEND_WINDOW, TZ.
import { z } from 'zod';
import { parseEnv } from '../../../src/config.ts';
import { parseSendWindow, type SendWindow, SendWindowSyntaxError } from './window.ts';
import { isTimeZone } from './zone.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Below Gmail's 500 a day for consumer accounts (Workspace allows 2,000), with room for mail sent by hand. */
export const DEFAULT_DAILY_LIMIT = 400;
export const DEFAULT_SEND_WINDOW = 'Mon-Fri 09:00-17:00';

export const SendingEnv = z.object({
  GMAIL_DAILY_LIMIT: z.preprocess(
    blank,
    z.coerce
      .number({ error: 'must be a whole number of emails a day (Gmail stops at 500, Workspace at 2000)' })
      .int({ error: 'must be a whole number of emails a day' })
      .min(1, { error: 'must be at least 1' })
      .default(DEFAULT_DAILY_LIMIT),
  ),
  SEND_WINDOW: z.preprocess(
    blank,
    z
      .string()
      .default(DEFAULT_SEND_WINDOW)
      .transform((text, ctx): SendWindow => {
        try {
          return parseSendWindow(text);
        } catch (err) {
          if (!(err instanceof SendWindowSyntaxError)) throw err;
          ctx.addIssue({ code: 'custom', message: err.message });
          return z.NEVER;
        }
      }),
  ),
  TZ: z.preprocess(
    blank,
    z.string().default('UTC').refine(isTimeZone, {
      error: 'must be an IANA time zone such as Europe/London or America/New_York',
    }),
  ),
});

export interface SendingSettings {
  dailyLimit: number;
  window: SendWindow;
  zone: string;
}

/** The settings, or every problem, each naming its variable. */
export function sendingSettings(
  env: NodeJS.ProcessEnv,
): { ok: true; settings: SendingSettings } | { ok: false; problems: string[] } {
  const parsed = parseEnv(SendingEnv, env);
  if (!parsed.ok) return parsed;
  const c = parsed.config;
  return { ok: true, settings: { dailyLimit: c.GMAIL_DAILY_LIMIT, window: c.SEND_WINDOW, zone: c.TZ } };
}

/** For a recipe's `problems`: what is wrong with the sending variables. */
export function sendingProblems(env: NodeJS.ProcessEnv): string[] {
  const result = sendingSettings(env);
  return result.ok ? [] : result.problems;
}
