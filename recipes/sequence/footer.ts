// The unsubscribe footer Baton adds to unattended mail, taken off again where the text is reused.

/** The body without the unsubscribe footer Baton adds (so a rewrite does not carry it twice). */
export function withoutFooter(body: string, unsubscribeText: string | undefined): string {
  const at = body.lastIndexOf('\n--\n');
  if (at < 0) return body;
  const footer = body.slice(at + 4).trim();
  const line = (unsubscribeText ?? '').trim();
  return line && footer.startsWith(line) ? body.slice(0, at).trimEnd() : body;
}
