// How Slack reads mrkdwn control syntax: `<!channel>` notifies everyone, `<@U…>` a person, `&lt;` shows `<`.
//
// Slack's formatting reference (api.slack.com/reference/surfaces/formatting, "Escaping text" and
// "Mentioning users/groups", "Special mentions"): `&`, `<` and `>` are control characters; `<!here>`,
// `<!channel>` and `<!everyone>` notify a whole channel; text meant literally must be sent as
// `&amp;`, `&lt;`, `&gt;`.

/** Who a message notified, as Slack parses it. */
export interface Mentions {
  /** Special mentions that notify everyone in the channel: `channel`, `here`, `everyone`. */
  broadcasts: ('channel' | 'here' | 'everyone')[];
  /** Users mentioned with `<@U…>`. */
  users: string[];
  /** Channels linked with `<#C…>`. */
  channels: string[];
  /** User groups mentioned with `<!subteam^S…>`. */
  groups: string[];
}

const TOKEN = /<([!@#])([^<>|]+)(?:\|([^<>]*))?>/g;
const LINK = /<((?:https?|mailto):[^<>|]+)(?:\|([^<>]*))?>/g;
const BROADCASTS = new Set(['channel', 'here', 'everyone']);

/** The mentions in one mrkdwn string. */
export function mentionsIn(text: string): Mentions {
  const found: Mentions = { broadcasts: [], users: [], channels: [], groups: [] };
  for (const [, sigil, target] of text.matchAll(TOKEN)) {
    const name = target!.trim();
    if (sigil === '@') found.users.push(name);
    else if (sigil === '#') found.channels.push(name);
    else if (BROADCASTS.has(name)) found.broadcasts.push(name as Mentions['broadcasts'][number]);
    else if (name.startsWith('subteam^')) found.groups.push(name.slice('subteam^'.length));
  }
  return found;
}

/** Every mrkdwn string of a payload: its `text`, and `text` of the blocks' `mrkdwn` text objects. */
export function mrkdwnOf(text: string | undefined, blocks: unknown[] | undefined): string[] {
  const out = text === undefined ? [] : [text];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const { type, text: inner } = node as { type?: unknown; text?: unknown };
    if (type === 'mrkdwn' && typeof inner === 'string') out.push(inner);
    for (const value of Object.values(node)) walk(value);
  };
  walk(blocks);
  return out;
}

/** The mentions of all the strings together. */
export function mentionsOf(texts: string[]): Mentions {
  const all = texts.map(mentionsIn);
  return {
    broadcasts: all.flatMap((m) => m.broadcasts),
    users: all.flatMap((m) => m.users),
    channels: all.flatMap((m) => m.channels),
    groups: all.flatMap((m) => m.groups),
  };
}

/** The text as a reader sees it: links and mentions by their label, entities decoded. */
export function displayed(text: string): string {
  return text
    .replace(LINK, (_all, url: string, label?: string) => (label ? label : url))
    .replace(TOKEN, (_all, sigil: string, target: string, label?: string) => {
      if (label !== undefined && label !== '') return label;
      if (sigil === '!') return `@${target.replace(/^subteam\^/, '')}`;
      return sigil === '#' || sigil === '@' ? `${sigil}${target}` : target;
    })
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
