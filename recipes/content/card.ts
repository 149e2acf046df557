// The Trello card of a post: the post itself (what the reviewer edits), then a trailer with the
// transcript link and the run. What the card says when it is approved is what is published.
const TRAILER_LINE = /^\s*\[?Transcript\]?/;
const RULE = /^\s*(?:\\?[-*_]\s*){3,}$/;

export function postCardDescription(text: string, transcriptUrl: string, runId: string): string {
  return `${text.trimEnd()}\n\n---\n[Transcript](${transcriptUrl}) · Baton run ${runId}`;
}

/** The post as the reviewer left it: the description without our trailer (all of it if they deleted the trailer). */
export function postFromCard(description: string): string {
  const lines = description.replace(/\r\n/g, '\n').split('\n');
  let end = lines.length;
  for (let i = lines.length - 1; i > 0; i--) {
    if (TRAILER_LINE.test(lines[i]!) && RULE.test(lines[i - 1]!)) {
      end = i - 1;
      break;
    }
  }
  return unescapeTrelloMarkdown(lines.slice(0, end).join('\n').trim());
}

/**
 * Trello's editor may backslash-escape Markdown characters a person typed (`\#`, `\(`, `\_`); the
 * post is plain text, so those escapes are removed (LinkedIn's own escaping happens at publishing).
 */
function unescapeTrelloMarkdown(text: string): string {
  return text.replace(/\\([\\`*_{}[\]()#+\-.!@|<>~])/g, '$1');
}
