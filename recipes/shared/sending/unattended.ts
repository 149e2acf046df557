// What every unattended email carries (sequence steps, newsletters, automatic follow-ups): an
// unsubscribe line, the sender's postal address when SENDER_ADDRESS is set, and a List-Unsubscribe
// header (mailto the sender) so mail clients show their own unsubscribe button.
import type { SendingSettings } from './config.ts';
import { DEFAULT_UNSUBSCRIBE_TEXT } from './config.ts';

export interface UnattendedEmail {
  text: string;
  /** For the Gmail connector's `listUnsubscribe`. */
  listUnsubscribe: string;
}

/** `body` with the footer, and the List-Unsubscribe target for the mailbox `sender`. */
export function unattendedEmail(body: string, settings: SendingSettings, sender: string): UnattendedEmail {
  const footer = [settings.unsubscribeText || DEFAULT_UNSUBSCRIBE_TEXT, settings.senderAddress]
    .filter((line): line is string => Boolean(line))
    .join('\n');
  return {
    text: `${body.trimEnd()}\n\n--\n${footer}`,
    listUnsubscribe: `mailto:${sender}?subject=unsubscribe`,
  };
}

const QUOTE_START = /^(>|On .+wrote:\s*$|-{2,}\s*Original Message)/i;
const ASKS_OUT = /\b(unsubscribe|opt[\s-]?out|remove me|take me off|no more emails)\b/i;
const ONE_WORD = /^(stop|unsubscribe|remove|cancel)$/i;

/**
 * True when a reply asks to hear no more: the subject says unsubscribe (a List-Unsubscribe mailto),
 * or the reply's own words (quoted text ignored) ask out, or its first line is just "stop".
 */
export function isUnsubscribeReply(reply: { subject?: string; text: string }): boolean {
  if (/^\s*(re:\s*)*unsubscribe\b/i.test(reply.subject ?? '')) return true;
  const own: string[] = [];
  for (const line of reply.text.split(/\r?\n/)) {
    if (QUOTE_START.test(line.trim())) break;
    own.push(line);
  }
  const words = own.join('\n').trim();
  const first = (words.split('\n')[0] ?? '').replace(/[^\p{L}\s]/gu, '').trim();
  return ONE_WORD.test(first) || ASKS_OUT.test(words);
}
