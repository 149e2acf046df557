// sendDraft with a pinned recipient: the approved email goes to the lead or nowhere.
import { gmail as gmailApi } from '@googleapis/gmail';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../connectors/core/index.ts';
import type { DraftRef } from '../../../connectors/gmail/index.ts';
import { WrongRecipientError } from '../../../connectors/gmail/index.ts';
import { createGoogleAuth, GOOGLE_SCOPES } from '../../../connectors/google/index.ts';
import { gmailSandbox, LEAD, OWNER } from './setup.ts';

const { emulator, client } = gmailSandbox();

const pitch = { to: LEAD, subject: 'A quick idea', text: 'First version of the pitch.' };

async function draftFor(key: string): Promise<DraftRef> {
  const ref = await client().createDraft({ ...pitch, idempotencyKey: key });
  if (ref.status !== 'draft') throw new Error('expected a draft');
  return ref;
}

/** Someone edits the draft in Gmail: new recipients, same text. */
async function editRecipients(draftId: string, headers: { to: string; cc?: string; bcc?: string }) {
  const api = gmailApi({
    version: 'v1',
    auth: createGoogleAuth(
      { kind: 'oauth', clientId: 'baton-client', clientSecret: 'baton-secret', refreshToken: 'rt-zoe' },
      [GOOGLE_SCOPES.gmail],
    ),
  });
  const node = new MailComposer({
    from: OWNER,
    subject: pitch.subject,
    text: pitch.text,
    ...headers,
  }).compile();
  node.keepBcc = true; // a draft keeps its Bcc line until it is sent
  const raw = await node.build();
  await api.users.drafts.update({
    userId: 'me',
    id: draftId,
    requestBody: { message: { raw: raw.toString('base64url') } },
  });
}

describe('sendDraft to a pinned recipient', () => {
  it('sends the approved subject and text to the lead, and says who received it', async () => {
    const draft = await draftFor('pin-1');
    const sent = await client().sendDraft(draft, {
      to: LEAD,
      subject: 'Edited on the card',
      text: 'Approved text',
    });
    expect(sent.recipients).toEqual([LEAD]);
    expect(emulator.sent()).toMatchObject([
      { id: sent.id, to: LEAD, subject: 'Edited on the card', text: 'Approved text' },
    ]);
  });

  it('refuses, sending nothing, when someone readdressed the draft in Gmail', async () => {
    const draft = await draftFor('pin-2');
    await editRecipients(draft.draftId, { to: 'someone-else@example.org' });
    const error = await client()
      .sendDraft(draft, { to: LEAD, text: 'Approved text' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongRecipientError);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      retryable: false,
      addressedTo: ['someone-else@example.org'],
      expected: LEAD,
    });
    expect((error as Error).message).toContain(
      `addressed to someone-else@example.org, but it must go to ${LEAD} only`,
    );
    expect(emulator.sent()).toEqual([]);
    expect(emulator.requests.count({ method: 'POST', path: /drafts\/send/ })).toBe(0);
  });

  it('refuses when a Cc or Bcc was added next to the lead', async () => {
    const draft = await draftFor('pin-3');
    await editRecipients(draft.draftId, { to: LEAD, bcc: 'boss@acme.test' });
    const error = await client()
      .sendDraft(draft, { to: LEAD })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'WrongRecipientError', addressedTo: [LEAD, 'boss@acme.test'] });
    expect(emulator.sent()).toEqual([]);
  });

  it('accepts the lead’s address in another case', async () => {
    const draft = await draftFor('pin-4');
    const sent = await client().sendDraft(draft, { to: LEAD.toUpperCase() });
    expect(sent.recipients).toEqual([LEAD]);
    expect(emulator.sent()).toHaveLength(1);
  });

  it('keeps the run’s mark when an edit in Gmail dropped it, so a lost data folder still finds the email', async () => {
    const draft = await draftFor('pin-5');
    await editRecipients(draft.draftId, { to: LEAD }); // rewritten without X-Baton-Id, new Message-ID
    const sent = await client().sendDraft(draft, { to: LEAD });
    const replay = await client().createDraft({ ...pitch, idempotencyKey: 'pin-5' });
    expect(replay).toEqual(sent);
    expect(emulator.sent()).toHaveLength(1);
    expect(emulator.drafts()).toEqual([]);
  });
});
