// The rewrite after "Needs changes": the prompt that wrote the email, then the card's text and the
// reviewer's comment.
import type { CardEmail } from './card.ts';

type Messages = { role: 'system' | 'user'; content: string }[];

export function withReviewerComment(writer: Messages, current: CardEmail, comment: string): Messages {
  return [
    ...writer,
    {
      role: 'user',
      content: [
        'A reviewer asked for changes to this draft:',
        `Subject: ${current.subject}`,
        `Body:\n${current.body}`,
        `Reviewer's comment: ${comment}`,
        'Rewrite the email following the comment. Keep any links it has.',
      ].join('\n\n'),
    },
  ];
}
