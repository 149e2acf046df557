// The Trello card a reviewer sees: the subject line, the email body, then a trailer with the draft
// link and the run (or, for a card with no draft, the run alone). The reviewer may edit the subject and
// the body; what the card says is what is sent.
const TRAILER_LINE = /^\s*(?:\[?Open the draft in Gmail\]?|Baton run )/;
/** A markdown horizontal rule, however Trello's editor rewrote it. */
const RULE = /^\s*(?:\\?[-*_]\s*){3,}$/;
/** `Subject: …` as written, or as Trello's editor may bold it (`**Subject:** …`). */
const SUBJECT_LINE = /^\s*(?:\*\*|__)?subject:(?:\*\*|__)?\s*(.*?)\s*$/i;

export interface CardEmail {
  subject: string;
  body: string;
}

/** The description: the subject line, the email body, then a rule and the trailer (cut off again before sending). */
export function reviewCardDescription(email: CardEmail, draftLink: string, runId: string): string {
  return `Subject: ${email.subject}\n\n${email.body.trimEnd()}\n\n---\n[Open the draft in Gmail](${draftLink}) · Baton run ${runId}`;
}

/** A card for text with no single draft behind it (a newsletter issue): the trailer names the run and what happens. */
export function draftlessCardDescription(email: CardEmail, runId: string, note: string): string {
  return `Subject: ${email.subject}\n\n${email.body.trimEnd()}\n\n---\nBaton run ${runId} · ${note}`;
}

/**
 * The email as the reviewer left it on the card: the subject from its `Subject:` line, the body
 * without our trailer. A reviewer who deleted the subject line keeps `fallbackSubject`; one who
 * deleted the trailer gets their whole description sent.
 */
export function emailFromCard(description: string, fallbackSubject: string): CardEmail {
  const lines = description.replace(/\r\n/g, '\n').split('\n');
  let end = lines.length;
  for (let i = lines.length - 1; i > 0; i--) {
    if (TRAILER_LINE.test(lines[i]!) && RULE.test(lines[i - 1]!)) {
      end = i - 1;
      break;
    }
  }
  const start = lines.findIndex((line) => line.trim() !== '');
  const subjectLine = start >= 0 && start < end ? SUBJECT_LINE.exec(lines[start]!) : null;
  const subject = subjectLine?.[1] || fallbackSubject;
  const body = lines.slice(subjectLine ? start + 1 : 0, end).join('\n');
  return { subject, body: body.replace(/^\s*\n/, '').trimEnd() };
}
