// The Trello card a reviewer sees: the email body, then a trailer with the draft link and the run.
import type { Lead } from './lead.ts';

const TRAILER_LINE = /^\s*\[?Open the draft in Gmail\]?/;
/** A markdown horizontal rule, however Trello's editor rewrote it. */
const RULE = /^\s*(?:\\?[-*_]\s*){3,}$/;

export function reviewCardTitle(lead: Lead): string {
  return lead.company ? `Pitch: ${lead.name} (${lead.company})` : `Pitch: ${lead.name}`;
}

/** The description: exactly the email body, then a rule and the trailer (cut off again before sending). */
export function reviewCardDescription(body: string, draftLink: string, runId: string): string {
  return `${body.trimEnd()}\n\n---\n[Open the draft in Gmail](${draftLink}) · Baton run ${runId}`;
}

/**
 * The email body as the reviewer left it on the card: the description without our trailer. A
 * reviewer who deleted the trailer gets their whole description sent.
 */
export function emailBodyFromCard(description: string): string {
  const lines = description.replace(/\r\n/g, '\n').split('\n');
  for (let i = lines.length - 1; i > 0; i--) {
    if (TRAILER_LINE.test(lines[i]!) && RULE.test(lines[i - 1]!))
      return lines
        .slice(0, i - 1)
        .join('\n')
        .trimEnd();
  }
  return description.trimEnd();
}
