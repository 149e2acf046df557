// What the offline model writes into a string field, chosen by the field's name and the prompt's facts.
import type { Facts } from './facts.ts';

/** The label every piece of prose the offline model writes starts with. */
export const SAMPLE_LABEL = '[sample]';

/** What a string field holds, guessed from its property name (and description when the name says nothing). */
export type FieldKind =
  | 'subject'
  | 'greeting'
  | 'body'
  | 'closing'
  | 'cta'
  | 'explanation'
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'company'
  | 'email'
  | 'website'
  | 'phone'
  | 'role'
  | 'generic';

/** Kinds that copy data from the prompt rather than write prose; null suits them when the prompt lacks it. */
export const DATA_KINDS = new Set<FieldKind>([
  'name',
  'firstName',
  'lastName',
  'company',
  'email',
  'website',
  'phone',
  'role',
]);

const KIND_RULES: [RegExp, FieldKind][] = [
  [/^(firstname|givenname|first)$/, 'firstName'],
  [/^(lastname|surname|familyname|last)$/, 'lastName'],
  [/jobtitle|^role$|position/, 'role'],
  [/subject|headline|title/, 'subject'],
  [/greeting|salutation|opener|opening/, 'greeting'],
  [/signoff|closing|signature/, 'closing'],
  [/calltoaction|^cta$|nextstep/, 'cta'],
  [/body|message|draft|content|text|letter|pitch|reply|copy|paragraph/, 'body'],
  [
    /summary|reason|rationale|explanation|feedback|critique|comment|justification|analysis|notes?$|description|why|advice|suggestion|revision|answer/,
    'explanation',
  ],
  [/email|mail/, 'email'],
  [/website|url|domain|homepage|link|site/, 'website'],
  [/phone|mobile|^tel/, 'phone'],
  [/company|organi[sz]ation|business|employer|brand/, 'company'],
  [/name/, 'name'],
];

export function fieldKind(name: string, description?: string): FieldKind {
  const norm = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const [rule, kind] of KIND_RULES) if (rule.test(norm)) return kind;
  if (description) {
    const words = description.toLowerCase();
    for (const [rule, kind] of KIND_RULES) if (!rule.source.startsWith('^') && rule.test(words)) return kind;
  }
  return 'generic';
}

/** The well-known facts of a lead, under the labels people usually give them. */
export function leadFacts(facts: Facts) {
  const first = facts.get('first name', 'firstname', 'given name');
  const last = facts.get('last name', 'lastname', 'surname');
  const name =
    facts.get('name', 'full name', 'contact', 'contact name', 'lead', 'lead name', 'person') ??
    ([first, last].filter(Boolean).join(' ') || undefined);
  return {
    name,
    first: first ?? name?.split(/\s+/)[0],
    last: last ?? (name && name.split(/\s+/).length > 1 ? name.split(/\s+/).slice(1).join(' ') : undefined),
    company: facts.get(
      'company',
      'company name',
      'organization',
      'organisation',
      'business',
      'employer',
      'account',
    ),
    email: facts.get('email', 'email address', 'e-mail', 'mail'),
    website: facts.get('website', 'url', 'site', 'domain', 'homepage', 'web'),
    phone: facts.get('phone', 'phone number', 'mobile', 'tel'),
    role: facts.get('role', 'title', 'job title', 'position'),
    notes: facts.get('notes', 'note', 'context', 'about', 'background', 'details', 'description', 'comments'),
    /** What a reviewer or auditor asked to change, so a revision visibly differs from the first draft. */
    correction: facts.get("reviewer's comment", 'reviewer comment', 'correction', 'corrections', 'feedback'),
  };
}

/** The prompt's value for a data field, or undefined when the prompt does not state it. */
export function dataValue(kind: FieldKind, facts: Facts): string | undefined {
  const lead = leadFacts(facts);
  switch (kind) {
    case 'name':
      return lead.name;
    case 'firstName':
      return lead.first;
    case 'lastName':
      return lead.last;
    case 'company':
      return lead.company;
    case 'email':
      return lead.email;
    case 'website':
      return lead.website;
    case 'phone':
      return lead.phone;
    case 'role':
      return lead.role;
    default:
      return undefined;
  }
}

/** A stand-in for a data field the prompt does not state, itself recognisable as sample data. */
export function placeholderData(kind: FieldKind): string {
  if (kind === 'email') return 'sample@example.com';
  if (kind === 'website') return 'https://example.com/';
  if (kind === 'phone') return '+1-555-0100';
  return `${SAMPLE_LABEL} ${humanize(kind)}`;
}

/** Labelled prose for a field: a subject, an email body, a reason… built from the prompt's facts. */
export function proseValue(kind: FieldKind, name: string, facts: Facts, index?: number): string {
  const lead = leadFacts(facts);
  const who = lead.company ?? lead.name ?? 'this request';
  switch (kind) {
    case 'subject':
      if (lead.company) return `${SAMPLE_LABEL} Idea for ${lead.company}`;
      return lead.first ? `${SAMPLE_LABEL} A quick idea for ${lead.first}` : `${SAMPLE_LABEL} A quick idea`;
    case 'greeting':
      return `${SAMPLE_LABEL} Hi ${lead.first ?? 'there'},`;
    case 'closing':
      return `${SAMPLE_LABEL} Best regards`;
    case 'cta':
      return `${SAMPLE_LABEL} Would a 15-minute call next week work for ${lead.first ?? 'you'}?`;
    case 'body':
      return emailBody(lead);
    case 'explanation':
      return explanation(facts, who);
    default:
      return `${SAMPLE_LABEL} ${humanize(name)}${index === undefined ? '' : ` ${index + 1}`} for ${who}`;
  }
}

function emailBody(lead: ReturnType<typeof leadFacts>): string {
  const opening = lead.company
    ? `I have been reading about ${lead.company}${lead.role ? ` and your work as ${lead.role}` : ''}.`
    : 'I came across your work recently.';
  const notes = lead.notes ? ` You mentioned: ${lead.notes.replace(/[.!\s]+$/, '')}.` : '';
  const offer = lead.company
    ? `We help teams like ${lead.company} take repetitive follow-ups off their plate, and I would be glad to share a short example.`
    : 'We help small teams take repetitive follow-ups off their plate, and I would be glad to share a short example.';
  return [
    `${SAMPLE_LABEL} Hi ${lead.first ?? 'there'},`,
    '',
    `${opening}${notes}`,
    offer,
    ...(lead.correction ? [`(Revised as asked: ${lead.correction.replace(/[.!\s]+$/, '')}.)`] : []),
    '',
    'Would a 15-minute call next week work?',
    '',
    'Best regards',
  ].join('\n');
}

function explanation(facts: Facts, who: string): string {
  if (facts.size === 0) return `${SAMPLE_LABEL} The prompt stated no facts, so this is a generic answer.`;
  const keys = facts
    .all()
    .slice(0, 5)
    .map((f) => f.key)
    .join(', ');
  return `${SAMPLE_LABEL} Based on ${facts.size} fact${facts.size === 1 ? '' : 's'} from the prompt (${keys}), ${who} looks like a reasonable fit.`;
}

/** `jobTitle` → `job title`. */
export function humanize(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
}
