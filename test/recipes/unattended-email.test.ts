// What unattended mail carries, and which replies ask to hear no more.
import { describe, expect, it } from 'vitest';
import { isUnsubscribeReply, sendingSettings, unattendedEmail } from '../../recipes/shared/sending/index.ts';

const settings = (env: Record<string, string>) => {
  const parsed = sendingSettings(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.settings;
};

describe('unattendedEmail', () => {
  it('ends with the unsubscribe line and, when set, the postal address; List-Unsubscribe mails the sender', () => {
    const email = unattendedEmail(
      'Hello Ana,\n\nA tip.\n\n',
      settings({ SENDER_ADDRESS: '1 Main St, Leeds LS1 1AA' }),
      'sam@studio.example',
    );
    expect(email).toEqual({
      text: 'Hello Ana,\n\nA tip.\n\n--\nReply "unsubscribe" and you won\'t hear from us again.\n1 Main St, Leeds LS1 1AA',
      listUnsubscribe: 'mailto:sam@studio.example?subject=unsubscribe',
    });
  });

  it('uses SEQUENCE_UNSUBSCRIBE_TEXT, and leaves the address out when SENDER_ADDRESS is unset', () => {
    const email = unattendedEmail(
      'Hi',
      settings({ SEQUENCE_UNSUBSCRIBE_TEXT: 'Not for you? Reply STOP.' }),
      'a@b.example',
    );
    expect(email.text).toBe('Hi\n\n--\nNot for you? Reply STOP.');
  });
});

describe('isUnsubscribeReply', () => {
  it.each([
    ['unsubscribe', ''],
    ['Please unsubscribe me.', ''],
    ['STOP', ''],
    ['Stop!', ''],
    ['Remove me from your list, thanks', ''],
    ['', 'unsubscribe'],
    ['', 'Re: unsubscribe'],
  ])('%j (subject %j) asks out', (text, subject) => {
    expect(isUnsubscribeReply({ subject, text })).toBe(true);
  });

  it.each([
    ['Tuesday at 10 works.'],
    ["I can't stop thinking about this, let's talk"],
    [
      'Sounds good.\n\nOn Tue, Dec 1, 2026 Sam wrote:\n> Reply "unsubscribe" and you won\'t hear from us again.',
    ],
  ])('%j does not', (text) => {
    expect(isUnsubscribeReply({ subject: 'Re: An idea', text })).toBe(false);
  });
});
