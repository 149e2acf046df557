// The sending manners' variables, shared by every recipe that sends: GMAIL_DAILY_LIMIT, SEND_WINDOW, TZ,
// CONTACT_COOLDOWN, and what unattended mail ends with (SEQUENCE_UNSUBSCRIBE_TEXT, SENDER_ADDRESS).
import { z } from 'zod';
import { parseEnv } from '../../../src/config.ts';
import { toMs } from '../../../src/engine/index.ts';
import { parseSendWindow, type SendWindow, SendWindowSyntaxError } from './window.ts';
import { isTimeZone } from './zone.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Below Gmail's 500 a day for consumer accounts (Workspace allows 2,000), with room for mail sent by hand. */
export const DEFAULT_DAILY_LIMIT = 400;
export const DEFAULT_SEND_WINDOW = 'Mon-Fri 09:00-17:00';
export const DEFAULT_CONTACT_COOLDOWN = '3d';
export const DEFAULT_UNSUBSCRIBE_TEXT = 'Reply "unsubscribe" and you won\'t hear from us again.';

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
  CONTACT_COOLDOWN: z.preprocess(
    blank,
    z
      .string()
      .default(DEFAULT_CONTACT_COOLDOWN)
      .transform((text, ctx): number => {
        try {
          return toMs(text.trim());
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a duration such as 3d, 36h or 0 (off)' });
          return z.NEVER;
        }
      }),
  ),
  SEQUENCE_UNSUBSCRIBE_TEXT: z.preprocess(blank, z.string().default(DEFAULT_UNSUBSCRIBE_TEXT)),
  // A postal address, as anti-spam laws (CAN-SPAM, PECR) ask of marketing mail.
  SENDER_ADDRESS: z.preprocess(blank, z.string().optional()),
});

export interface SendingSettings {
  dailyLimit: number;
  window: SendWindow;
  zone: string;
  /** An address emailed by one recipe gets no unattended email from another for this long (ms; 0 = off). */
  contactCooldownMs?: number;
  /** The line every unattended email ends with. */
  unsubscribeText?: string;
  /** The sender's postal address, put under unattended emails when set. */
  senderAddress?: string;
}

/** The settings, or every problem, each naming its variable. */
export function sendingSettings(
  env: NodeJS.ProcessEnv,
): { ok: true; settings: SendingSettings } | { ok: false; problems: string[] } {
  const parsed = parseEnv(SendingEnv, env);
  if (!parsed.ok) return parsed;
  const c = parsed.config;
  return {
    ok: true,
    settings: {
      dailyLimit: c.GMAIL_DAILY_LIMIT,
      window: c.SEND_WINDOW,
      zone: c.TZ,
      contactCooldownMs: c.CONTACT_COOLDOWN,
      unsubscribeText: c.SEQUENCE_UNSUBSCRIBE_TEXT.trim(),
      ...(c.SENDER_ADDRESS?.trim() ? { senderAddress: c.SENDER_ADDRESS.trim() } : {}),
    },
  };
}

/** For a recipe's `problems`: what is wrong with the sending variables. */
export function sendingProblems(env: NodeJS.ProcessEnv): string[] {
  const result = sendingSettings(env);
  return result.ok ? [] : result.problems;
}
