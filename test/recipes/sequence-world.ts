// A Baton running the sequence recipe against a fresh emulated world, one cron cycle at a time, on a
// clock a test moves ahead; the sequences file is the project's sample unless a test writes its own.
import { fileURLToPath } from 'node:url';
import { buildSequence } from '../../recipes/sequence/setup.ts';
import { createLogger, silentLogger } from '../../src/log.ts';
import { Baton } from '../../src/runtime/index.ts';
import type { EmulatedWorld } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';
import { LEADS_FAST, type LeadsWorld } from './leads-world.ts';

export const SAMPLE_SEQUENCES = fileURLToPath(new URL('../../sequences.yaml', import.meta.url));
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** A Baton process over `dataDir` with the sequence recipe. */
export async function sequenceBaton(world: LeadsWorld, dataDir: string, env: Record<string, string> = {}) {
  const level = process.env.BATON_TEST_LOG;
  const log = level ? createLogger({ level }) : silentLogger;
  const recipe = buildSequence(
    { env: { ...world.env, SEQUENCES_FILE: SAMPLE_SEQUENCES, ...env }, log, clock: world.clock, dataDir },
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

/** One cron cycle of `baton run sequence --once`. */
export async function sequenceCycle(world: LeadsWorld, dataDir: string, env: Record<string, string> = {}) {
  const baton = await sequenceBaton(world, dataDir, env);
  try {
    await baton.runOnce('sequence');
  } finally {
    await baton.stop();
  }
}

/** Moves the travel clock to the next Monday (at least a day ahead) at `hour`:`minute` UTC. */
export function travelToMonday(world: LeadsWorld, hour: number, minute = 0): number {
  const now = new Date(world.clock.now() + DAY);
  const days = (8 - now.getUTCDay()) % 7;
  const target = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, hour, minute);
  world.clock.advance(target - world.clock.now());
  return target;
}

/** Adds people to the Leads table with `Sequence` set, as a person or the leads recipe would. */
export function enrol(
  world: EmulatedWorld,
  people: { Name: string; Email: string; Company?: string }[],
  sequence: string,
) {
  return people.map((p) =>
    world.airtable.addRecord(world.airtableBaseId, 'Leads', { ...p, Sequence: sequence }),
  );
}

/** Records of the Leads table by Email. */
export function records(world: EmulatedWorld): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of world.airtable.records(world.airtableBaseId, 'Leads'))
    out[String(r.fields.Email ?? '')] = { id: r.id, ...r.fields };
  return out;
}

/** Audits scripted per person: FAIL for those in `failing` (every attempt), PASS with confidence 0.9 otherwise. */
export function scriptAudits(
  world: EmulatedWorld,
  failing: (name: string, brief: string) => boolean = () => false,
) {
  world.openai.respondWith((call) => {
    if (call.schemaName !== 'sequence_audit') return undefined;
    const text = call.messages
      .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
      .join('\n');
    const name = /^Name: (.*)$/m.exec(text)?.[1] ?? '';
    const brief = /^Brief: (.*)$/m.exec(text)?.[1] ?? '';
    return failing(name, brief)
      ? {
          verdict: 'FAIL',
          confidence: 0.9,
          problems: ['Claims a customer story we do not have'],
          corrections: 'Drop the invented story.',
        }
      : { verdict: 'PASS', confidence: 0.9, problems: [], corrections: '' };
  });
}
