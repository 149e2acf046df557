// GMAIL_DAILY_LIMIT holds what is due past the cap until the next day, and the held emails then go
// in the order they were due, earliest first, whatever order their runs were created in.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leadsWorld } from './leads-world.ts';
import { DAY, HOUR, scriptAudits, sequenceCycle } from './sequence-world.ts';

const world = leadsWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('GMAIL_DAILY_LIMIT wake order', () => {
  it('sends the emails the cap held back the next day in due order, earliest due first', async () => {
    scriptAudits(world);
    // Five people enrolled together, A first; each one's only email is due an hour apart, in reverse:
    // E at +1 h, D at +2 h, C at +3 h, B at +4 h, A at +5 h.
    const names = ['A', 'B', 'C', 'D', 'E'];
    const file = join(await tempDir(), 'sequences.yaml');
    await writeFile(
      file,
      names.map((n, i) => `late${n}:\n  - after: ${5 - i}h\n    brief: Say hello to ${n}.\n`).join(''),
    );
    const dir = await tempDir();
    const env = { SEQUENCES_FILE: file, SEND_WINDOW: 'always', TZ: 'UTC', GMAIL_DAILY_LIMIT: '2' };
    const cycle = () => sequenceCycle(world, dir, env);
    const start = Date.UTC(2026, 11, 7, 10, 0); // a Monday, 10:00 UTC
    world.clock.advance(start - world.clock.now());
    await cycle(); // first enable
    world.clock.advance(60_000);
    const enrolledAt = world.clock.now();
    for (const n of names)
      world.airtable.addRecord(world.airtableBaseId, 'Leads', {
        Name: `Person ${n}`,
        Email: `${n.toLowerCase()}@people.example`,
        Sequence: `late${n}`,
      });
    await cycle();
    // Day 1: each becomes due in turn; the cap lets E and D go, then holds C, B and A.
    for (let h = 1; h <= 5; h++) {
      world.clock.advance(enrolledAt + h * HOUR + 60_000 - world.clock.now());
      await cycle();
    }
    const order = () =>
      world.gmail
        .sent()
        .sort((a, b) => a.internalDate - b.internalDate)
        .map((m) => `${day(m.internalDate)} ${m.to.slice(0, 1).toUpperCase()}`);
    expect(order()).toEqual(['2026-12-07 E', '2026-12-07 D']);

    // Day 2 just after midnight: the two the cap allows are the two due first (C, then B); A waits.
    world.clock.advance(Date.UTC(2026, 11, 8, 0, 1) - world.clock.now());
    await cycle();
    await cycle();
    expect(order()).toEqual(['2026-12-07 E', '2026-12-07 D', '2026-12-08 C', '2026-12-08 B']);
    world.clock.advance(DAY);
    await cycle();
    expect(order()).toEqual(['2026-12-07 E', '2026-12-07 D', '2026-12-08 C', '2026-12-08 B', '2026-12-09 A']);
  });
});
