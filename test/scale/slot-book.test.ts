// Two processes approving posts at the same moment, sharing Redis: the content calendar hands out
// every slot once, in order, and a step replayed in the other process gets its own slot back.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { SlotLedger } from '../../recipes/content/calendar.ts';
import { PostCalendar } from '../../recipes/content/slots.ts';
import { RedisSlotBook } from '../../src/scale/index.ts';
import { useRedis } from '../support/redis.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const redis = useRedis();
const tempDir = useTempDirs();
// Monday 5 January 2026, 10:00 UTC: the next slots are Tue 6, Wed 7, Thu 8 at 09:00, then the week after.
const NOW = Date.UTC(2026, 0, 5, 10);
const calendar = () => new PostCalendar('Tue,Wed,Thu 09:00', 'UTC');

const connections: Redis[] = [];
afterAll(() => {
  for (const c of connections) c.disconnect();
});

function processBook(): RedisSlotBook {
  const connection = new Redis(redis.url);
  connections.push(connection);
  return new RedisSlotBook(calendar(), { redis: connection });
}

describe('RedisSlotBook', { timeout: 30_000 }, () => {
  it('gives two processes’ posts approved at once every slot once, as one calendar would', async () => {
    const [a, b] = [processBook(), processBook()];
    const slots = await Promise.all(
      Array.from({ length: 9 }, (_, i) => (i % 2 ? a : b).take(`post-${i}:slot`, NOW)),
    );
    expect(new Set(slots).size).toBe(9);
    const alone = new SlotLedger(calendar(), undefined);
    const expected = Array.from({ length: 9 }, (_, i) => alone.take(`one-${i}`, NOW));
    expect([...slots].sort((x, y) => x - y)).toEqual(expected);

    // The step ran again on the other machine after a crash: the same slot, no second one taken.
    expect(await a.take('post-0:slot', NOW)).toBe(slots[0]);
    expect(await b.take('post-1:slot', NOW)).toBe(slots[1]);
    // Slots known elsewhere (the Notion calendar) stay free of new posts.
    const DAY = 24 * 3600_000;
    const lastThursday = expected.at(-1)!;
    const next = await a.take('post-9:slot', NOW, [lastThursday + 5 * DAY]); // the Tuesday after
    expect(next).toBe(lastThursday + 6 * DAY); // so the Wednesday
  });

  it('is what keeps them apart: two ledgers of their own book the same slots', async () => {
    const [a, b] = [new SlotLedger(calendar(), await tempDir()), new SlotLedger(calendar(), await tempDir())];
    expect(a.take('x', NOW)).toBe(b.take('y', NOW));
  });
});
