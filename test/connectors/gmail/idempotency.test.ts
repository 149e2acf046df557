// Exactly one draft and one email, whatever crashes or lost answers happen in between.
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../connectors/core/index.ts';
import type { DraftRef } from '../../../connectors/gmail/index.ts';
import { gmailSandbox, LEAD } from './setup.ts';

const { emulator, client } = gmailSandbox();

const pitch = { to: LEAD, subject: 'A quick idea', text: 'First version of the pitch.' };

function asDraft(ref: Awaited<ReturnType<ReturnType<typeof client>['createDraft']>>): DraftRef {
  if (ref.status !== 'draft') throw new Error(`expected a draft, got ${ref.status}`);
  return ref;
}

describe('createDraft after a crash', () => {
  it('returns the draft the first call made instead of making a second one', async () => {
    // The first process created the draft, then died before journaling the result.
    const first = asDraft(await client().createDraft({ ...pitch, idempotencyKey: 'run-7/draft' }));
    const again = asDraft(await client().createDraft({ ...pitch, idempotencyKey: 'run-7/draft' }));
    expect(again.draftId).toBe(first.draftId);
    expect(emulator.drafts()).toHaveLength(1);
    expect(emulator.requests.count({ method: 'POST' })).toBe(1);
  });

  it('returns the sent message when the draft was already sent', async () => {
    const gmail = client();
    const draft = asDraft(await gmail.createDraft({ ...pitch, idempotencyKey: 'run-8/draft' }));
    const sent = await gmail.sendDraft(draft);
    const replay = await client().createDraft({ ...pitch, idempotencyKey: 'run-8/draft' });
    expect(replay).toEqual(sent);
    expect(emulator.drafts()).toEqual([]);
    expect(emulator.sent()).toHaveLength(1);
  });
});

describe('createDraft when the answer is lost', () => {
  it('finds the stored draft before trying again (connection dropped after Gmail stored it)', async () => {
    emulator.faultsAfterHandling({ method: 'POST', path: /\/drafts$/ });
    emulator.faults.dropNext(1);
    const draft = asDraft(await client().createDraft({ ...pitch, idempotencyKey: 'run-9/draft' }));
    expect(emulator.drafts()).toMatchObject([{ id: draft.draftId, subject: pitch.subject }]);
    const exchanges = emulator.requests.all().map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`);
    expect(exchanges).toEqual([
      'GET /gmail/v1/users/me/drafts 200', // search: a draft with our Message-ID? no
      'GET /gmail/v1/users/me/messages 200', // search: sent to the lead already? no
      'GET /gmail/v1/users/me/drafts 200', // the newest drafts, which search may not show yet: none
      'GET /gmail/v1/users/me/messages 200', // the newest sent mail: none
      'POST /gmail/v1/users/me/drafts 0', // stored, but the answer is lost
      'GET /gmail/v1/users/me/drafts 200', // look again before retrying: found it
    ]);
  });

  it("looks for nothing before a step's first try (noEarlierTry), only after its answer is lost", async () => {
    emulator.faultsAfterHandling({ method: 'POST', path: /\/drafts$/ });
    emulator.faults.dropNext(1);
    const draft = asDraft(
      await client().createDraft({ ...pitch, idempotencyKey: 'run-11/draft', noEarlierTry: true }),
    );
    expect(emulator.drafts()).toMatchObject([{ id: draft.draftId }]);
    const exchanges = emulator.requests.all().map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`);
    expect(exchanges).toEqual([
      'POST /gmail/v1/users/me/drafts 0', // stored, but the answer is lost
      'GET /gmail/v1/users/me/drafts 200', // look before retrying: found it
    ]);
  });

  it('finds the stored draft when Gmail stored it but answered 502', async () => {
    emulator.faultsAfterHandling({ method: 'POST', path: /\/drafts$/ });
    emulator.faults.failNext(1, 502);
    await client().createDraft({ ...pitch, idempotencyKey: 'run-10/draft' });
    expect(emulator.drafts()).toHaveLength(1);
    expect(emulator.requests.filter({ method: 'POST' }).map((r) => r.status)).toEqual([502]);
  });

  it('creates the draft when the failed attempt did not store anything', async () => {
    emulator.faults.failNext(2, 503, { match: /\/drafts$/ });
    await client().createDraft({ ...pitch, idempotencyKey: 'run-11/draft' });
    expect(emulator.drafts()).toHaveLength(1);
    expect(emulator.requests.filter({ method: 'POST' }).map((r) => r.status)).toEqual([503, 503, 200]);
  });
});

describe('sendDraft', () => {
  it('sends the edited text, not the original draft', async () => {
    const gmail = client();
    const draft = asDraft(
      await gmail.createDraft({ ...pitch, html: '<p>First version</p>', idempotencyKey: 'run-12/draft' }),
    );
    const edited = 'Edited by the reviewer on the card.\nSecond line.';
    const sent = await gmail.sendDraft(draft, { text: edited });
    expect(sent).toMatchObject({ status: 'sent', threadId: draft.threadId, recipients: [LEAD] });
    const [message, ...others] = emulator.sent();
    expect(others).toEqual([]);
    expect(message).toMatchObject({ id: sent.id, to: LEAD, subject: pitch.subject, text: edited });
    // Gmail gave the email its own Message-ID: the SentRef names the one the lead received.
    expect(sent.messageId).toBe(message?.messageId);
    expect(sent.messageId).not.toBe(draft.messageId);
    expect(message?.html).toBeUndefined();
  });

  it('sends once when called twice', async () => {
    const gmail = client();
    const draft = asDraft(await gmail.createDraft({ ...pitch, idempotencyKey: 'run-13/draft' }));
    const first = await gmail.sendDraft(draft.draftId);
    const second = await client().sendDraft(draft);
    expect(second).toEqual(first);
    expect(emulator.sent()).toHaveLength(1);
    expect(emulator.requests.count({ method: 'POST', path: /drafts\/send/ })).toBe(1);
  });

  it('sends once when the answer to the send is lost', async () => {
    const gmail = client();
    const draft = asDraft(await gmail.createDraft({ ...pitch, idempotencyKey: 'run-14/draft' }));
    emulator.faultsAfterHandling({ method: 'POST', path: /drafts\/send/ });
    emulator.faults.dropNext(1);
    const sent = await gmail.sendDraft(draft.draftId);
    expect(emulator.sent()).toHaveLength(1);
    expect(sent).toMatchObject({ id: emulator.sent()[0]?.id, messageId: emulator.sent()[0]?.messageId });
  });

  it('fails with NotFoundError when the draft was deleted by hand and never sent', async () => {
    const gmail = client();
    const draft = asDraft(await gmail.createDraft({ ...pitch, idempotencyKey: 'run-15/draft' }));
    await gmail.deleteDraft(draft.draftId);
    const error = await gmail.sendDraft(draft).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(String((error as Error).message)).toContain(draft.draftId);
    expect(emulator.sent()).toEqual([]);
  });
});
