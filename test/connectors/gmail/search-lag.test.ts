// Gmail's search index lags fresh writes and Gmail replaces the Message-ID at send: still one draft, one email.
import { describe, expect, it } from 'vitest';
import type { DraftRef } from '../../../connectors/gmail/index.ts';
import { gmailSandbox, LEAD } from './setup.ts';

const { emulator, client } = gmailSandbox();

const pitch = { to: LEAD, subject: 'A quick idea', text: 'First version of the pitch.' };

function asDraft(ref: Awaited<ReturnType<ReturnType<typeof client>['createDraft']>>): DraftRef {
  if (ref.status !== 'draft') throw new Error(`expected a draft, got ${ref.status}`);
  return ref;
}

/** Everything written during a test stays out of search results (the emulator clock is real time). */
function lagSearch(): void {
  emulator.searchLagMs = 10 * 60_000;
}

describe('with a lagging search index', () => {
  it('finds the draft whose create answer was lost instead of making a second one', async () => {
    lagSearch();
    emulator.faultsAfterHandling({ method: 'POST', path: /\/drafts$/ });
    emulator.faults.dropNext(1);
    const draft = asDraft(await client().createDraft({ ...pitch, idempotencyKey: 'lag-1/draft' }));
    expect(emulator.drafts().map((d) => d.id)).toEqual([draft.draftId]);
  });

  it('returns the draft a crashed process made a moment ago', async () => {
    lagSearch();
    const first = asDraft(await client().createDraft({ ...pitch, idempotencyKey: 'lag-2/draft' }));
    const again = asDraft(await client().createDraft({ ...pitch, idempotencyKey: 'lag-2/draft' }));
    expect(again.draftId).toBe(first.draftId);
    expect(emulator.drafts()).toHaveLength(1);
  });

  it('returns the email already sent after a lost data folder: never a second draft or email', async () => {
    lagSearch();
    const gmail = client();
    const draft = asDraft(await gmail.createDraft({ ...pitch, idempotencyKey: 'lag-3/draft' }));
    const sent = await gmail.sendDraft(draft);
    // A new process, nothing journaled: the pitch is rewritten and drafted again with the same key.
    const replay = await client().createDraft({
      ...pitch,
      text: 'Another version',
      idempotencyKey: 'lag-3/draft',
    });
    expect(replay).toEqual(sent);
    expect(replay).toMatchObject({ status: 'sent', messageId: emulator.sent()[0]?.messageId });
    expect(emulator.drafts()).toEqual([]);
    expect(emulator.sent()).toHaveLength(1);
  });

  it('finds the email sent by a process that died before journaling the send', async () => {
    lagSearch();
    const draft = asDraft(await client().createDraft({ ...pitch, idempotencyKey: 'lag-4/draft' }));
    emulator.faultsAfterHandling({ method: 'POST', path: /drafts\/send/ });
    emulator.faults.dropNext(1);
    const lost = await client({ maxAttempts: 1 })
      .sendDraft(draft)
      .catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(Error);
    emulator.faultsAfterHandling(undefined);
    // The restarted run sends again with the journaled DraftRef: the draft is gone, the email was sent.
    const sent = await client().sendDraft(draft);
    expect(emulator.sent()).toHaveLength(1);
    expect(sent).toMatchObject({ status: 'sent', id: emulator.sent()[0]?.id, recipients: [LEAD] });
    expect(sent.messageId).toBe(emulator.sent()[0]?.messageId);
  });

  it('threads a follow-up under the Message-ID the lead actually received', async () => {
    lagSearch();
    const gmail = client();
    const sent = await gmail.sendDraft(
      asDraft(await gmail.createDraft({ ...pitch, idempotencyKey: 'lag-5' })),
    );
    const followUp = asDraft(
      await gmail.createDraft({
        to: LEAD,
        subject: `Re: ${pitch.subject}`,
        text: 'Any thoughts?',
        threadId: sent.threadId,
        inReplyTo: sent.messageId,
        references: [sent.messageId],
        idempotencyKey: 'lag-5/follow-up',
      }),
    );
    expect(followUp.threadId).toBe(sent.threadId);
    expect(emulator.drafts()[0]?.inReplyTo).toBe(emulator.sent()[0]?.messageId);
  });
});
