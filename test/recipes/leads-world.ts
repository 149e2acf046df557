// A Baton running the leads recipe against a fresh emulated world, driven one cycle at a time the
// way cron drives `baton run leads --once`, on a clock a test can move ahead.
import { buildLeads, type LeadsTuning } from '../../recipes/leads/setup.ts';
import { createLogger, type Logger, silentLogger } from '../../src/log.ts';
import { Baton } from '../../src/runtime/index.ts';
import type { OpenAICall } from '../../src/sandbox/openai/index.ts';
import { TravelClock } from '../../src/sandbox/travel-clock.ts';
import { createWorld, type EmulatedWorld } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';
import { GMAIL_SEARCH_LAG_MS } from './pitch-world.ts';

export const LEADS_FAST: LeadsTuning = {
  limits: 'relaxed',
  retry: { maxAttempts: 4, initialDelayMs: 5, maxDelayMs: 20 },
  claimSettleMs: 0,
};

export interface LeadsWorld extends EmulatedWorld {
  clock: TravelClock;
}

export function leadsWorld(): LeadsWorld {
  const clock = new TravelClock();
  const world = createWorld({ limits: 'relaxed', clock });
  world.gmail.searchLagMs = GMAIL_SEARCH_LAG_MS;
  return { ...world, clock };
}

/** A Baton process over `dataDir` with the leads recipe; call `runOnce()` for each cron cycle. */
export async function leadsBaton(
  world: LeadsWorld,
  dataDir: string,
  options: { env?: Record<string, string>; tuning?: LeadsTuning; log?: Logger } = {},
): Promise<Baton> {
  // BATON_TEST_LOG=debug shows what the runs did.
  const level = process.env.BATON_TEST_LOG;
  const log = options.log ?? (level ? createLogger({ level }) : silentLogger);
  const recipe = buildLeads(
    // SEND_WINDOW off unless a test sets it: the travel clock starts at the wall clock's day and hour.
    { env: { ...world.env, SEND_WINDOW: 'always', ...options.env }, log, clock: world.clock, dataDir },
    { ...LEADS_FAST, websiteLookup: world.websites.lookup, ...options.tuning },
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

/** One cron cycle of `baton run leads --once`. */
export async function leadsCycle(
  world: LeadsWorld,
  dataDir: string,
  options: Parameters<typeof leadsBaton>[2] = {},
) {
  const baton = await leadsBaton(world, dataDir, options);
  try {
    await baton.runOnce('leads');
  } finally {
    await baton.stop();
  }
}

/** Every lead's Airtable fields by Email. */
export function leadRecords(world: EmulatedWorld): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const record of world.airtable.records(world.airtableBaseId, 'Leads')) {
    out[String(record.fields.Email ?? '')] = { id: record.id, ...record.fields };
  }
  return out;
}

/** Scripts the model's scores by lead name: `{ 'Hana Hot': { score: 9, confidence: 0.9 } }`. */
export function scriptScores(
  world: EmulatedWorld,
  scores: Record<string, { score: number; confidence: number }>,
  /** Answers for other calls (undefined lets the sample model answer). */
  otherwise: (call: OpenAICall) => unknown = () => undefined,
) {
  world.openai.respondWith((call) => {
    if (call.schemaName !== 'lead_score') return otherwise(call);
    const text = call.messages
      .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
      .join('\n');
    // The whole line: `Name: Crash 1` must not match the lead `Crash 12`.
    const name = Object.keys(scores).find((n) => text.split('\n').includes(`Name: ${n}`));
    if (!name) return undefined;
    return { ...scores[name], reasons: [`scripted score for ${name}`] };
  });
}
