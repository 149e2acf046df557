// A run waiting for the lead's answer: woken by gmailReplies, finished by repliesIn, followed up after 48 h.
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type DraftRef,
  type GmailClient,
  type GmailReply,
  gmailReplies,
  gmailReplyWait,
  gmailThreadKey,
  type SentRef,
} from '../../../connectors/gmail/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { defineRecipe } from '../../../src/engine/index.ts';
import { openTestEngine } from '../../support/engine.ts';
import { memoryCursor, pollContext } from '../../support/poll-context.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { gmailSandbox, LEAD } from './setup.ts';

// Gmail runs on the system clock (its tokens would expire across a skipped 48 h); the engine's waits
// on a manual clock that starts now, so `ctx.now()` before the pitch precedes every message.
const { emulator, client } = gmailSandbox();
let clock = new ManualClock(Date.now());
beforeEach(() => {
  clock = new ManualClock(Date.now());
});
const tempDir = useTempDirs();
const HOUR = 3_600_000;

/** Pitch, wait 48 h for an answer in the thread, else follow up in it. */
function leadRecipe(gmail: GmailClient) {
  return defineRecipe({
    name: 'lead',
    input: z.object({ email: z.string() }),
    async run(input, ctx) {
      const sentAt = await ctx.now();
      const pitch = await ctx.step<SentRef>('pitch', async ({ idempotencyKey }) => {
        const draft = (await gmail.createDraft({
          to: input.email,
          subject: 'Un café ?',
          text: 'Bonjour !',
          idempotencyKey,
        })) as DraftRef;
        return gmail.sendDraft(draft);
      });
      const replies = await ctx.waitFor<GmailReply[]>(
        'reply',
        gmailReplyWait(gmail, { threadId: pitch.threadId, after: sentAt, from: input.email }),
      );
      if (replies) return `answered: ${replies[0]?.snippet}`;
      await ctx.step('follow-up', ({ idempotencyKey }) =>
        gmail.sendReply({
          threadId: pitch.threadId,
          to: input.email,
          subject: 'Un café ?',
          text: 'Petit rappel',
          idempotencyKey,
        }),
      );
      return 'followed up';
    },
  });
}

describe('waiting for the lead’s answer', () => {
  it('an out-of-office wakes the run but does not end the wait; the real answer does', async () => {
    const gmail = client();
    const t = await openTestEngine(await tempDir(), [leadRecipe(gmail)], { clock });
    const watch = gmailReplies(gmail);
    const ctx = pollContext(clock, memoryCursor());
    const deliver = async () => {
      const { signals = [] } = await watch.poll(ctx);
      let woken = 0;
      for (const s of signals) woken += await t.engine.signal(s.key, s.payload);
      await t.engine.drain();
      return woken;
    };
    await watch.poll(ctx);
    const { runId } = await t.engine.submit('lead', 'lead-1', { email: LEAD });
    await t.engine.drain();
    const [pitch] = emulator.sent();
    const waiting = await t.store.getRun(runId);
    expect(waiting?.wake).toMatchObject({ reason: 'signal', key: gmailThreadKey(pitch!.threadId) });

    await emulator.receiveReply(pitch!.threadId, {
      from: LEAD,
      text: 'Absente jusqu’au 12',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(await deliver()).toBe(1);
    expect((await t.store.getRun(runId))?.status).toBe('waiting');

    await emulator.receiveReply(pitch!.threadId, { from: LEAD, text: 'Oui, jeudi ?' });
    expect(await deliver()).toBe(1);
    const done = await t.store.getRun(runId);
    expect(done?.status).toBe('done');
    expect(done?.output).toBe('answered: Oui, jeudi ?');
    expect(emulator.sent()).toHaveLength(1);
    await t.close();
  });

  it('follows up in the thread after 48 h without an answer, even with no signal at all', async () => {
    const gmail = client();
    const t = await openTestEngine(await tempDir(), [leadRecipe(gmail)], { clock });
    const { runId } = await t.engine.submit('lead', 'lead-2', { email: LEAD });
    await t.engine.drain();
    const [pitch] = emulator.sent();
    clock.advance(48 * HOUR);
    await t.engine.drain();
    const run = await t.store.getRun(runId);
    expect(run?.output).toBe('followed up');
    const thread = emulator.thread(pitch!.threadId);
    expect(thread.map((m) => [m.subject, m.inReplyTo])).toEqual([
      ['Un café ?', undefined],
      ['Re: Un café ?', pitch!.messageId],
    ]);
    await t.close();
  });

  it('a reply whose signal was lost is still found when the wait times out', async () => {
    const gmail = client();
    const t = await openTestEngine(await tempDir(), [leadRecipe(gmail)], { clock });
    const { runId } = await t.engine.submit('lead', 'lead-3', { email: LEAD });
    await t.engine.drain();
    const [pitch] = emulator.sent();
    clock.advance(HOUR);
    await emulator.receiveReply(pitch!.threadId, { from: LEAD, text: 'Oui !' });
    await t.engine.drain();
    expect((await t.store.getRun(runId))?.status).toBe('waiting');
    clock.advance(47 * HOUR);
    await t.engine.drain();
    expect((await t.store.getRun(runId))?.output).toBe('answered: Oui !');
    expect(emulator.sent()).toHaveLength(1);
    await t.close();
  });
});
