// GmailClient drafts: what lands in the mailbox is exactly what the recipe asked for, to the lead only.
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../connectors/core/index.ts';
import { messageIdFor } from '../../../connectors/gmail/index.ts';
import { gmailSandbox, LEAD, OWNER } from './setup.ts';

const { emulator, client } = gmailSandbox();

const pitch = {
  to: LEAD,
  subject: 'Café crème & croissants 🥐 — une idée pour Zoë',
  text: 'Bonjour Chloé,\n\nNous préparons des offres très spéciales pour les cafés de quartier — voici la nôtre.\n\nÀ bientôt,\nZoë',
  html: '<p>Bonjour Chloé,</p><p>Voici la nôtre.</p>',
};

describe('createDraft', () => {
  it('stores a draft for the lead with the subject, sender and body intact', async () => {
    const gmail = client();
    const draft = await gmail.createDraft({ ...pitch, idempotencyKey: 'run-1/draft' });
    expect(draft).toMatchObject({ status: 'draft', messageId: messageIdFor('run-1/draft') });
    const [stored, ...others] = emulator.drafts();
    expect(others).toEqual([]);
    expect(stored).toMatchObject({
      id: draft.status === 'draft' ? draft.draftId : 'never',
      to: LEAD,
      from: OWNER,
      fromName: 'Zoë from Acme',
      subject: pitch.subject,
      text: pitch.text,
      html: pitch.html,
      messageId: messageIdFor('run-1/draft'),
      threadId: draft.threadId,
    });
  });

  it('derives a stable Message-ID from the idempotency key', () => {
    expect(messageIdFor('run-1/draft')).toBe(messageIdFor('run-1/draft'));
    expect(messageIdFor('run-1/draft')).not.toBe(messageIdFor('run-2/draft'));
    expect(messageIdFor('run-1/draft')).toMatch(/^<baton-[0-9a-f]{32}@baton\.local>$/);
  });

  it('gives a link that opens the message in the right Gmail account', async () => {
    const draft = await client().createDraft({ ...pitch, idempotencyKey: 'run-link' });
    const id = messageIdFor('run-link').slice(1, -1);
    expect(draft.link).toBe(
      `https://mail.google.com/mail/u/${encodeURIComponent(OWNER)}/#search/${encodeURIComponent(`rfc822msgid:${id}`)}`,
    );
  });

  it.each([
    ['two addresses', 'lead@example.com, boss@example.com'],
    ['a display name', 'Lead <lead@example.com>'],
    ['no address at all', 'not an address'],
    ['a header injection', 'lead@example.com\r\nBcc: everyone@example.com'],
  ])('refuses %s as the recipient, before Gmail is called', async (_case, to) => {
    const error = await client()
      .createDraft({ ...pitch, to, idempotencyKey: 'run-bad' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      retryable: false,
      message: expect.stringContaining('exactly one email address'),
    });
    expect(emulator.drafts()).toEqual([]);
    expect(emulator.requests.count()).toBe(0);
  });

  it('refuses extra recipients smuggled in as cc/bcc', async () => {
    const input = { ...pitch, idempotencyKey: 'run-cc', bcc: 'everyone@example.com' };
    await expect(client().createDraft(input)).rejects.toThrow(/bcc/);
    expect(emulator.drafts()).toEqual([]);
  });

  it('asks Gmail for the sender address when none is configured', async () => {
    const gmail = client({ sender: { name: 'Zoë' } });
    await gmail.createDraft({ ...pitch, idempotencyKey: 'run-profile' });
    await gmail.createDraft({ ...pitch, idempotencyKey: 'run-profile-2' });
    expect(emulator.drafts().map((d) => d.from)).toEqual([OWNER, OWNER]);
    expect(emulator.requests.count({ path: /\/profile$/ })).toBe(1);
  });
});

describe('updateDraft, getDraft, deleteDraft', () => {
  it('replaces the content and keeps the Message-ID and thread', async () => {
    const gmail = client();
    const draft = await gmail.createDraft({ ...pitch, idempotencyKey: 'run-upd' });
    if (draft.status !== 'draft') throw new Error('expected a draft');
    const updated = await gmail.updateDraft(draft.draftId, {
      to: LEAD,
      subject: 'Shorter',
      text: 'Just this.',
    });
    expect(updated).toMatchObject({
      draftId: draft.draftId,
      messageId: draft.messageId,
      threadId: draft.threadId,
    });
    const read = await gmail.getDraft(draft.draftId);
    expect(read).toMatchObject({
      to: LEAD,
      subject: 'Shorter',
      text: 'Just this.',
      messageId: draft.messageId,
    });
    expect(read.html).toBeUndefined();
    expect(emulator.drafts()).toHaveLength(1);
  });

  it('reads back a draft a human edited in Gmail', async () => {
    const gmail = client();
    const draft = await gmail.createDraft({ ...pitch, idempotencyKey: 'run-read' });
    if (draft.status !== 'draft') throw new Error('expected a draft');
    expect(await gmail.getDraft(draft.draftId)).toMatchObject({
      subject: pitch.subject,
      text: pitch.text,
      html: pitch.html,
      to: LEAD,
    });
  });

  it('treats deleting a draft that is already gone as done', async () => {
    const gmail = client();
    const draft = await gmail.createDraft({ ...pitch, idempotencyKey: 'run-del' });
    if (draft.status !== 'draft') throw new Error('expected a draft');
    expect(await gmail.deleteDraft(draft.draftId)).toBe(true);
    expect(await gmail.deleteDraft(draft.draftId)).toBe(false);
    expect(emulator.drafts()).toEqual([]);
  });
});
