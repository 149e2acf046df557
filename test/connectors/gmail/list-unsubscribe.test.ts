// Unattended mail carries List-Unsubscribe (RFC 2369) so mail clients offer an unsubscribe button;
// the header survives an edit at send time and a reply in the thread.
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../connectors/core/index.ts';
import type { DraftRef } from '../../../connectors/gmail/index.ts';
import { gmailSandbox, LEAD, OWNER } from './setup.ts';

const { emulator, client } = gmailSandbox();

const TARGET = `mailto:${OWNER}?subject=unsubscribe`;

describe('List-Unsubscribe', () => {
  it('is written on the draft, kept when the text is edited at send, and set on a reply', async () => {
    const gmail = client();
    const draft = (await gmail.createDraft({
      to: LEAD,
      subject: 'Step 1',
      text: 'Hello',
      listUnsubscribe: TARGET,
      idempotencyKey: 'run-u/step-1',
    })) as DraftRef;
    expect(emulator.drafts()[0]?.listUnsubscribe).toBe(`<${TARGET}>`);

    const sent = await gmail.sendDraft(draft, { text: 'Hello, edited' });
    expect(emulator.sent()[0]).toMatchObject({
      text: expect.stringContaining('edited'),
      listUnsubscribe: `<${TARGET}>`,
    });

    await gmail.sendReply({
      threadId: sent.threadId,
      to: LEAD,
      subject: 'Step 1',
      text: 'Step 2',
      listUnsubscribe: TARGET,
      idempotencyKey: 'run-u/step-2',
    });
    expect(emulator.sent()[0]).toMatchObject({
      text: expect.stringContaining('Step 2'),
      listUnsubscribe: `<${TARGET}>`,
    });
  });

  it('is absent unless asked for', async () => {
    await client().createDraft({ to: LEAD, subject: 'Hi', text: 'Hi', idempotencyKey: 'run-u/plain' });
    expect(emulator.drafts()[0]?.listUnsubscribe).toBeUndefined();
  });

  it('refuses a target that could break the header, before Gmail is called', async () => {
    const error = await client()
      .createDraft({
        to: LEAD,
        subject: 'Hi',
        text: 'Hi',
        listUnsubscribe: 'mailto:a@b.c>\r\nBcc: everyone@example.com',
        idempotencyKey: 'run-u/bad',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(emulator.drafts()).toEqual([]);
  });
});
