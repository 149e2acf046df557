// A Baton running the pathway recipe against a fresh emulated world, driven one cycle at a time the
// way cron drives `baton run pathway --once`, on a clock a test can move ahead.
import { buildPathway, type PathwayTuning } from '../../recipes/pathway/setup.ts';
import { createLogger, type Logger, silentLogger } from '../../src/log.ts';
import { Baton } from '../../src/runtime/index.ts';
import type { OpenAICall } from '../../src/sandbox/openai/index.ts';
import type { EmulatedWorld } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';
import type { LeadsWorld } from './leads-world.ts';

export { leadsWorld as pathwayWorld } from './leads-world.ts';

export const PATHWAY_FAST: PathwayTuning = {
  limits: 'relaxed',
  retry: { maxAttempts: 4, initialDelayMs: 5, maxDelayMs: 20 },
  claimSettleMs: 0,
};

/** A Baton process over `dataDir` with the pathway recipe; call `runOnce()` for each cron cycle. */
export async function pathwayBaton(
  world: LeadsWorld,
  dataDir: string,
  options: { env?: Record<string, string>; log?: Logger } = {},
): Promise<Baton> {
  const level = process.env.BATON_TEST_LOG;
  const log = options.log ?? (level ? createLogger({ level }) : silentLogger);
  const recipe = buildPathway(
    { env: { ...world.env, SEND_WINDOW: 'always', ...options.env }, log, clock: world.clock, dataDir },
    PATHWAY_FAST,
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

/** One cron cycle of `baton run pathway --once`. */
export async function pathwayCycle(
  world: LeadsWorld,
  dataDir: string,
  options: Parameters<typeof pathwayBaton>[2] = {},
) {
  const baton = await pathwayBaton(world, dataDir, options);
  try {
    await baton.runOnce('pathway');
  } finally {
    await baton.stop();
  }
}

/** Every contact's Airtable fields by Name. */
export function contactRecords(world: EmulatedWorld): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const record of world.airtable.records(world.airtableBaseId, 'Contacts')) {
    out[String(record.fields.Name ?? '')] = {
      id: record.id,
      createdTime: record.createdTime,
      ...record.fields,
    };
  }
  return out;
}

export interface ScriptedTier {
  tier: 'VIP' | 'Standard' | 'Spam';
  confidence: number;
}

/**
 * Scripts the model's tiers by contact name (the whole `Name: …` line), and records every name the
 * model was asked about, so a test can tell a contact never reached the model.
 */
export function scriptTiers(
  world: EmulatedWorld,
  tiers: Record<string, ScriptedTier>,
  otherwise: (call: OpenAICall) => unknown = () => undefined,
): { askedAbout: Set<string>; calls: OpenAICall[] } {
  const askedAbout = new Set<string>();
  const calls: OpenAICall[] = [];
  world.openai.respondWith((call) => {
    calls.push(call);
    const lines = call.messages.flatMap((m) =>
      (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)).split('\n'),
    );
    for (const line of lines) if (line.startsWith('Name: ')) askedAbout.add(line.slice(6));
    if (call.schemaName !== 'contact_tier') return otherwise(call);
    const name = Object.keys(tiers).find((n) => lines.includes(`Name: ${n}`));
    if (!name) return undefined;
    return { ...tiers[name], reason: `scripted tier for ${name}` };
  });
  return { askedAbout, calls };
}
