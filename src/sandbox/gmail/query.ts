// The subset of Gmail's search language (`q`) the emulator understands; anything else is refused loudly.
import { bareMessageId, type MailAddress } from './mail-view.ts';
import type { StoredMessage } from './mailbox.ts';

export type MessageFilter = (message: StoredMessage) => boolean;

/** Thrown for a query the emulator does not support; the emulator answers 400 with this message. */
export class UnsupportedQueryError extends Error {}

export const SUPPORTED_OPERATORS =
  'rfc822msgid:, from:, to:, subject:, in:(inbox|sent|drafts|anywhere), is:(unread|read), label:, after:, before:, and bare words';

const IN_LABELS: Record<string, string | undefined> = {
  inbox: 'INBOX',
  sent: 'SENT',
  draft: 'DRAFT',
  drafts: 'DRAFT',
  anywhere: undefined,
};

/**
 * Compiles `q` into a filter. Terms are ANDed, like Gmail's. Negation (`-term`), `OR`, braces,
 * parentheses and operators not listed in SUPPORTED_OPERATORS throw UnsupportedQueryError: the
 * emulator would otherwise quietly answer something Gmail would not.
 */
export function compileQuery(q: string | null | undefined): MessageFilter {
  const filters = tokenize(q ?? '').map(compileTerm);
  return (message) => filters.every((f) => f(message));
}

function tokenize(q: string): string[] {
  return [...q.matchAll(/[^\s:"]+:"[^"]*"|"[^"]*"|\S+/g)].map((m) => m[0]).filter((t) => t !== 'AND');
}

function compileTerm(term: string): MessageFilter {
  if (term === 'OR' || /^[-{}()]/.test(term) || term.endsWith(')') || term.endsWith('}')) {
    throw new UnsupportedQueryError(
      `Unsupported search syntax '${term}' (emulator supports ${SUPPORTED_OPERATORS})`,
    );
  }
  const colon = term.indexOf(':');
  if (colon <= 0 || term.startsWith('"')) return fullText(unquote(term));
  const operator = term.slice(0, colon).toLowerCase();
  const value = unquote(term.slice(colon + 1));
  switch (operator) {
    case 'rfc822msgid':
      return (m) =>
        m.mail.messageId !== undefined && bareMessageId(m.mail.messageId) === bareMessageId(value);
    case 'from':
      return (m) => (m.mail.from ? matchesAddress(m.mail.from, value) : false);
    case 'to':
      return (m) => m.mail.to.some((a) => matchesAddress(a, value));
    case 'subject':
      return (m) => m.mail.subject.toLowerCase().includes(value.toLowerCase());
    case 'in': {
      const key = value.toLowerCase();
      if (!(key in IN_LABELS)) throw new UnsupportedQueryError(`Unsupported search term 'in:${value}'`);
      const label = IN_LABELS[key];
      return (m) => label === undefined || m.labelIds.includes(label);
    }
    case 'is': {
      const key = value.toLowerCase();
      if (key === 'unread') return (m) => m.labelIds.includes('UNREAD');
      if (key === 'read') return (m) => !m.labelIds.includes('UNREAD');
      throw new UnsupportedQueryError(`Unsupported search term 'is:${value}'`);
    }
    case 'label':
      return (m) => m.labelIds.some((l) => l.toLowerCase() === value.toLowerCase());
    case 'after': {
      const at = parseQueryDate(value);
      return (m) => m.internalDate >= at;
    }
    case 'before': {
      const at = parseQueryDate(value);
      return (m) => m.internalDate < at;
    }
    default:
      throw new UnsupportedQueryError(
        `Unsupported search operator '${operator}:' (emulator supports ${SUPPORTED_OPERATORS})`,
      );
  }
}

/** Epoch seconds, or a date as yyyy/mm/dd (read as UTC midnight; Gmail uses the account's time zone). */
function parseQueryDate(value: string): number {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const match = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  if (!match)
    throw new UnsupportedQueryError(`Unsupported date '${value}' (use epoch seconds or yyyy/mm/dd)`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

function matchesAddress(address: MailAddress, value: string): boolean {
  const needle = value.toLowerCase();
  return address.address.toLowerCase().includes(needle) || address.name.toLowerCase().includes(needle);
}

function fullText(word: string): MessageFilter {
  const needle = word.toLowerCase();
  return (m) =>
    [
      m.mail.subject,
      m.mail.text,
      m.mail.from?.address ?? '',
      m.mail.from?.name ?? '',
      ...m.mail.to.map((a) => `${a.name} ${a.address}`),
    ].some((field) => field.toLowerCase().includes(needle));
}

const unquote = (value: string): string => value.replace(/^"(.*)"$/, '$1');
