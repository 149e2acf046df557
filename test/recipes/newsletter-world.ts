// A Baton running the newsletter recipe against an emulated world on a travel clock, driven one cron
// cycle at a time (`baton run newsletter --once`), with subscribers in the Leads table's Newsletter view.
import { buildNewsletter } from '../../recipes/newsletter/setup.ts';
import { createLogger, silentLogger } from '../../src/log.ts';
import { Baton } from '../../src/runtime/index.ts';
import type { OpenAICall } from '../../src/sandbox/openai/index.ts';
import type { EmulatedWorld } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';
import { LEADS_FAST, type LeadsWorld } from './leads-world.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** SEND_WINDOW off and TZ UTC unless a test sets them. */
export const NEWSLETTER_ENV = { SEND_WINDOW: 'always', TZ: 'UTC' };

export async function newsletterBaton(world: LeadsWorld, dataDir: string, env: Record<string, string> = {}) {
  const level = process.env.BATON_TEST_LOG;
  const log = level ? createLogger({ level }) : silentLogger;
  const recipe = buildNewsletter(
    { env: { ...world.env, ...NEWSLETTER_ENV, ...env }, log, clock: world.clock, dataDir },
    LEADS_FAST,
  );
  const baton = new Baton({
    store: new FileStore({ dir: dataDir, log }),
    recipes: [recipe],
    log,
    clock: world.clock,
    onceRetryHorizonMs: 5000,
  });
  await baton.open();
  return baton;
}

/** One `baton run newsletter --once`. */
export async function newsletterCycle(world: LeadsWorld, dataDir: string, env: Record<string, string> = {}) {
  const baton = await newsletterBaton(world, dataDir, env);
  try {
    await baton.runOnce('newsletter');
  } finally {
    await baton.stop();
  }
}

/** Adds people being nurtured (so in the Newsletter view); returns their addresses. */
export function addSubscribers(
  world: EmulatedWorld,
  names: string[],
  extra: Record<string, unknown> = {},
): string[] {
  return names.map((name) => {
    const email = `${name.toLowerCase().replace(/\s+/g, '.')}@people.example`;
    world.airtable.addRecord(world.airtableBaseId, 'Leads', {
      Name: name,
      Email: email,
      Status: 'Nurture',
      ...extra,
    });
    return email;
  });
}

/** The scripted issue: its subject names the week's call count, so each issue differs. */
export function scriptIssues(
  world: EmulatedWorld,
  audit: (call: OpenAICall) => 'PASS' | 'FAIL' = () => 'PASS',
) {
  let n = 0;
  world.openai.respondWith((call) => {
    if (call.schemaName === 'newsletter_issue') {
      n++;
      const text = call.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
      const revised = text.includes("Reviewer's comment:");
      return {
        subject: revised ? `Revised issue ${n}` : `Issue ${n}`,
        intro: revised ? 'Shorter, as you asked.' : 'Here is what we learned this week.',
        sections: [
          { title: 'One idea', body: 'Automate the report you write every Friday.' },
          { title: 'What we shipped', body: 'A small tool that files invoices for you.' },
          { title: 'Worth reading', body: 'A note on keeping automations boring and safe.' },
        ],
      };
    }
    if (call.schemaName === 'newsletter_audit') {
      const verdict = audit(call);
      return verdict === 'PASS'
        ? { verdict, problems: [], corrections: '' }
        : { verdict, problems: ['Too salesy'], corrections: 'Tone it down.' };
    }
    return undefined;
  });
}

/** The next `weekday` (1 = Monday … 7 = Sunday) at least a day ahead, at `hour`:`minute` UTC. */
export function travelTo(world: LeadsWorld, weekday: number, hour: number, minute = 0): number {
  const now = new Date(world.clock.now() + DAY);
  const today = now.getUTCDay() === 0 ? 7 : now.getUTCDay();
  const days = (weekday - today + 7) % 7;
  const target = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, hour, minute);
  world.clock.advance(target - world.clock.now());
  return target;
}

/** Sent newsletter emails: [to, subject] pairs. */
export function sentIssues(world: EmulatedWorld) {
  return world.gmail.sent().map((m) => ({ to: m.to, subject: m.subject, text: m.text }));
}
