// Two processes sending through the real Gmail SDK, sharing Redis: GMAIL_DAILY_LIMIT holds for both
// together, a replay in the other process is not counted twice, and an unsubscribe reaches both.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DoNotContactError,
  SendingPausedError,
  type SendRequest,
  SendRules,
  sendingSettings,
} from '../../recipes/shared/sending/index.ts';
import { sharedServices } from '../../recipes/shared/services.ts';
import { ManualClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { RedisDoNotContact, RedisSendBook } from '../../src/scale/index.ts';
import { FAST } from '../recipes/pitch-world.ts';
import { useEmulators } from '../support/msw.ts';
import { useRedis } from '../support/redis.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const clock = new ManualClock(Date.UTC(2026, 11, 2, 12, 0));
const world = createWorld({ limits: 'relaxed', clock });
useEmulators(world.handlers());
const redis = useRedis();
const tempDir = useTempDirs();

const connections: Redis[] = [];
afterAll(() => {
  for (const c of connections) c.disconnect();
});

const parsed = sendingSettings({ GMAIL_DAILY_LIMIT: '3' });
if (!parsed.ok) throw new Error(parsed.problems.join('; '));
const settings = parsed.settings;

/** A process: its own data folder and, when shared, its own connection to the group's Redis. */
async function processRules(shared: boolean): Promise<SendRules> {
  const dataDir = await tempDir();
  if (!shared) return new SendRules({ settings, clock, dataDir });
  const connection = new Redis(redis.url);
  connections.push(connection);
  return new SendRules({
    settings,
    clock,
    dataDir,
    book: new RedisSendBook({ redis: connection }),
    doNotContact: new RedisDoNotContact({ redis: connection }),
  });
}

/** Sends one email through the Gmail SDK under the rules; 'paused' when the rules held it back. */
async function sendOne(rules: SendRules, tag: string): Promise<'sent' | 'paused'> {
  const gmail = sharedServices({ env: world.env, log: silentLogger, clock }, FAST).gmail();
  const to = `${tag}@leads.example`;
  const request: SendRequest = { to, recipe: 'pitch', key: `${tag}:send`, unattended: false };
  try {
    await rules.send(request, async () => {
      const draft = await gmail.createDraft({
        to,
        subject: 'Hello',
        text: 'Hi',
        idempotencyKey: `${tag}:draft`,
      });
      return gmail.sendDraft(draft, { to, subject: 'Hello', text: 'Hi' });
    });
    return 'sent';
  } catch (err) {
    if (err instanceof SendingPausedError && err.why === 'daily-limit') return 'paused';
    throw err;
  }
}

const sentTo = (prefix: string) => world.gmail.sent().filter((m) => m.to.startsWith(prefix));

describe('RedisSendBook', { timeout: 30_000 }, () => {
  it('holds two processes together to GMAIL_DAILY_LIMIT, even sending at the same moment', async () => {
    const [a, b] = [await processRules(true), await processRules(true)];
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => sendOne(i % 2 ? a : b, `shared-${i}`)),
    );
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(3);
    expect(sentTo('shared-')).toHaveLength(3);
    expect(await a.sentToday()).toBe(3);
    expect(await b.sentToday()).toBe(3);
  });

  it('is what holds them: two processes with their own counts send the cap twice', async () => {
    const [a, b] = [await processRules(false), await processRules(false)];
    await Promise.all(Array.from({ length: 8 }, (_, i) => sendOne(i % 2 ? a : b, `apart-${i}`)));
    expect(sentTo('apart-')).toHaveLength(6);
  });

  it('lets a send replayed in another process through once, without counting it again', async () => {
    // A new day's count, as the first test filled this one.
    const admin = new Redis(redis.url);
    connections.push(admin);
    await admin.flushdb();
    const [a, b] = [await processRules(true), await processRules(true)];
    expect(await sendOne(a, 'replay')).toBe('sent');
    // The step ran again on another machine after a crash: already counted, the Gmail client finds the send.
    expect(await sendOne(b, 'replay')).toBe('sent');
    expect(sentTo('replay')).toHaveLength(1);
    expect(await b.sentToday()).toBe(1);
    expect((await b.lastContact('REPLAY@leads.example'))?.recipe).toBe('pitch');
  });

  it('refuses in every process an address that unsubscribed through one of them', async () => {
    const [a, b] = [await processRules(true), await processRules(true)];
    await a.addDoNotContact(' Gone@leads.example ', 'replied unsubscribe');
    let called = false;
    await expect(
      b.send({ to: 'gone@leads.example', recipe: 'pitch', key: 'gone:send', unattended: false }, async () => {
        called = true;
      }),
    ).rejects.toBeInstanceOf(DoNotContactError);
    expect(called).toBe(false);
  });

  it("keeps the cap's line for the whole group: held in either process, they wake in the order held", async () => {
    const admin = new Redis(redis.url);
    connections.push(admin);
    await admin.flushdb();
    const [a, b] = [await processRules(true), await processRules(true)];
    for (const i of [1, 2, 3]) expect(await sendOne(a, `full-${i}`)).toBe('sent');
    // From here the rules are under test, not Gmail: the send itself does nothing.
    const request = (tag: string): SendRequest => ({
      to: `${tag}@leads.example`,
      recipe: 'pitch',
      key: `${tag}:send`,
      unattended: false,
    });
    const untils: number[] = [];
    for (const [tag, rules] of [
      ['first', b],
      ['second', a],
      ['third', b],
    ] as const) {
      const paused = await rules.send(request(tag), async () => undefined).catch((e: unknown) => e);
      expect(paused).toBeInstanceOf(SendingPausedError);
      untils.push((paused as SendingPausedError).until);
    }
    // One millisecond apart after midnight, first held first, whichever process held them.
    expect(untils.map((until) => until - untils[0]!)).toEqual([0, 1, 2]);
    const book = new RedisSendBook({ redis: admin });
    expect((await book.capLine(clock.now())).map(([key]) => key)).toEqual([
      'first:send',
      'second:send',
      'third:send',
    ]);
    // Sent the next day in that order, each leaves the line.
    clock.set(untils[2]!);
    for (const [tag, rules] of [
      ['first', a],
      ['second', b],
      ['third', a],
    ] as const)
      await rules.send(request(tag), async () => undefined);
    expect(await book.capLine(clock.now())).toEqual([]);
    expect(await a.sentToday()).toBe(3);
  });
});
