// Slack mrkdwn built safely: values are escaped so they read literally; links Baton builds stay links.
//
// Slack treats `&`, `<` and `>` as control characters (`<!channel>` notifies a whole channel,
// `<url|label>` is a link) and asks that only these three be escaped as `&amp;`, `&lt;`, `&gt;`
// (api.slack.com/reference/surfaces/formatting, "Escaping text").

/** Text already in Slack's mrkdwn: sent as it is. Build it with `slackText` and `slackLink`. */
export class SlackText {
  constructor(readonly mrkdwn: string) {}

  toString(): string {
    return this.mrkdwn;
  }
}

/** `value` as Slack should show it, literally: `&`, `<` and `>` become entities, nothing else changes. */
export function escapeSlack(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * A tagged template for mrkdwn: the template's own text is mrkdwn (`*bold*`), every interpolated
 * value is escaped unless it is already SlackText (a `slackLink`, another `slackText`).
 * `slackText\`Pitch for ${lead.name}: ${slackLink(card.url, 'open the card')}\``
 */
export function slackText(strings: TemplateStringsArray, ...values: unknown[]): SlackText {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += value instanceof SlackText ? value.mrkdwn : escapeSlack(String(value));
    out += strings[i + 1] ?? '';
  });
  return new SlackText(out);
}

/** A link Baton builds: `<url|label>`, with the label shown literally and the URL unable to end early. */
export function slackLink(url: string, label?: string): SlackText {
  const target = escapeSlack(url).replaceAll('|', '%7C');
  return new SlackText(label === undefined ? `<${target}>` : `<${target}|${escapeSlack(label)}>`);
}
