// Outages during the lead pipeline: an Airtable penalty (another app went over the base's 5
// requests a second), Notion 429s and 5xx, websites that time out, refuse, vanish or send binary or
// huge answers. Every lead still finishes once, and the log says so once, not once per request.
import { delay, http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { AirtableEmulator } from '../../src/sandbox/airtable/index.ts';
import { capturedLog, type LogLine } from '../support/captured-log.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leadRecords, leadsBaton, leadsWorld, scriptScores } from './leads-world.ts';

const world = leadsWorld();
const server = useEmulators(world.handlers());
const tempDir = useTempDirs();
afterEach(() => {
  server.resetHandlers();
  world.notion.faults.clear();
  world.websites.faults.clear();
});

/** A long-running Baton polls Airtable every second (the budget allows it), the others every 100 ms. */
const RUNNING = {
  AIRTABLE_POLL_INTERVAL: '1s',
  AIRTABLE_MONTHLY_CALLS: '100000000',
};

async function until(done: () => boolean, what: string, ms = 45_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Warnings and errors as `service msg`, each with how often it was logged. */
function loud(lines: LogLine[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines.filter((l) => l.level >= 40)) {
    const key = `${l.service ?? ''} ${l.msg}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** An Airtable at its documented limits (5 requests/s per base) with a short penalty, holding the world's base. */
function airtableWithPenalty(penaltyMs: number): AirtableEmulator {
  const airtable = new AirtableEmulator({ clock: world.clock, penaltyMs });
  airtable.addToken(world.env.AIRTABLE_TOKEN!, {
    scopes: ['data.records:read', 'data.records:write', 'schema.bases:read'],
  });
  airtable.createBase('Sales', world.airtableBaseId);
  const fields = world.airtable.fields(world.airtableBaseId, 'Leads').map((f) => {
    const choices = (f.options?.choices as { name: string }[] | undefined)?.map((c) => c.name);
    return { name: f.name, type: f.type, ...(choices ? { choices } : {}) } as Parameters<
      AirtableEmulator['createTable']
    >[2][number];
  });
  airtable.createTable(world.airtableBaseId, 'Leads', fields);
  return airtable;
}

describe('leads under service outages', () => {
  it('rides out an Airtable penalty mid-backlog: nothing lost, nothing twice, one log line', async () => {
    const PENALTY_MS = 3000;
    const airtable = airtableWithPenalty(PENALTY_MS);
    server.use(...airtable.handlers());
    const names = Array.from({ length: 8 }, (_, i) => `Pen ${i + 1}`);
    scriptScores(world, Object.fromEntries(names.map((n) => [n, { score: 3, confidence: 0.9 }])));
    const { log, lines } = capturedLog();
    const dir = await tempDir();
    // Baton paces itself to Airtable's documented limit; only the wait after a 429 is shortened,
    // to the emulator's shortened penalty.
    const baton = await leadsBaton(world, dir, {
      log,
      env: RUNNING,
      tuning: { limits: 'documented', airtableRateLimitedDelayMs: PENALTY_MS + 100, pollIntervalMs: 100 },
    });
    baton.start();
    try {
      await until(() => airtable.requests.all().length > 0, 'the first poll'); // first enable
      await new Promise((r) => setTimeout(r, 1100));
      for (const name of names)
        airtable.addRecord(world.airtableBaseId, 'Leads', {
          Name: name,
          Email: `${name.replace(' ', '').toLowerCase()}@leads.example`,
        });
      const statuses = () => airtable.records(world.airtableBaseId, 'Leads').map((r) => r.fields.Status);
      await until(() => statuses().filter((s) => s === 'Nurture').length >= 2, 'two leads are done');
      expect(statuses().filter((s) => s === 'Nurture').length).toBeLessThan(names.length);

      // Another app sharing the base goes over the limit: the base refuses everything for the penalty.
      const url = `https://api.airtable.com/v0/${world.airtableBaseId}/Leads?pageSize=1`;
      const headers = { Authorization: `Bearer ${world.env.AIRTABLE_TOKEN}` };
      await Promise.all(Array.from({ length: 8 }, () => fetch(url, { headers })));
      expect(airtable.inPenalty(world.airtableBaseId)).toBe(true);

      await until(() => statuses().every((s) => s === 'Nurture'), 'every lead is done');
    } finally {
      await baton.stop();
    }

    // Baton's own requests met the penalty, and waited it out.
    const refused = airtable.requests.all().filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(3);
    const records = airtable.records(world.airtableBaseId, 'Leads');
    expect(records.map((r) => r.fields.Status)).toEqual(names.map(() => 'Nurture'));
    for (const r of records) expect(r.fields.Score).toBe(3);
    const pages = world.notion
      .pages(world.dossiers.dataSourceId)
      .filter((p) => names.includes(String(p.properties.Name)));
    expect(pages.map((p) => p.properties.Name).sort()).toEqual([...names].sort());
    expect(world.openai.calls.filter((c) => c.schemaName === 'lead_score')).toHaveLength(names.length);

    // One line says Airtable is refusing for a while: none per refused request, no error, nothing else.
    expect([...loud(lines)]).toEqual([
      [
        'airtable Airtable is refusing requests to the base (over 5 requests per second; another app may share it): waiting before retrying',
        1,
      ],
    ]);
  }, 90_000);
});
