// Outages: Sheets rate-limits, Trello errors, OpenAI 429s. Every lead still finishes, nothing is
// done twice, and the log says so once per outage rather than once per failed request.
import { describe, expect, it } from 'vitest';
import { capturedLog } from '../support/captured-log.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { pitchBaton, pitchWorld, statuses } from './pitch-world.ts';

const world = pitchWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

describe('pitch under service outages', () => {
  it('finishes every lead exactly once through 429s and 500s, logging each outage once', async () => {
    const leads = Array.from({ length: 10 }, (_, i) => ({
      Name: `Fault ${i + 1}`,
      Email: `fault${i + 1}@leads.example`,
      Company: `Outage ${i + 1} GmbH`,
    }));
    for (const lead of leads) world.addLead(lead);
    // Sheets answers 429 to everything for a while (seconds standing in for the minute of a real
    // outage); Trello fails a dozen requests; OpenAI rate-limits a few calls.
    world.sheets.faults.failFor(4000, 429);
    world.trello.faults.failNext(12, 500);
    world.openai.faults.failNext(6, 429, { headers: { 'retry-after-ms': '20' } });
    const { log, lines } = capturedLog();
    const dir = await tempDir();

    // One long-running process, as on a VPS: outages span many polls and requests.
    const baton = await pitchBaton(world, dir, {
      log,
      tuning: { pollIntervalMs: 100, breaker: { breakAfter: 6, pauseMs: 300 } },
    });
    baton.start();
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && !Object.values(statuses(world)).every((s) => s === 'In review')) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await baton.stop();

    expect(statuses(world)).toEqual(Object.fromEntries(leads.map((l) => [l.Email, 'In review'])));
    expect(
      world.gmail
        .drafts()
        .map((d) => d.to)
        .sort(),
    ).toEqual(leads.map((l) => l.Email).sort());
    expect(
      world.trello
        .cards()
        .map((c) => c.name)
        .sort(),
    ).toEqual(leads.map((l) => `Pitch: ${l.Name} (${l.Company})`).sort());

    expect(world.sheets.requests.filter().filter((r) => r.status === 429).length).toBeGreaterThan(3);
    // Each outage is one line (a paused service, a failing poller), never one per failed request.
    const outageLines = lines.filter((l) => l.level >= 40).map((l) => `${l.service ?? ''} ${l.msg}`);
    const perKind = new Map<string, number>();
    for (const line of outageLines) perKind.set(line, (perKind.get(line) ?? 0) + 1);
    expect(Math.max(...perKind.values())).toBeLessThanOrEqual(2);
    expect(outageLines.length).toBeLessThanOrEqual(8);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  }, 120_000);
});
