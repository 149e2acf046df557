// The demo data a newcomer finds in the sandbox: a few small-business leads in the sheet (one with a
// typo to show a skip), a few in the Airtable Leads table pointing at the demo websites, and the
// Slides template lead decks are copied from.
import { demoVideoPosts } from './demo-video.ts';
import type { AIRTABLE_LEAD_FIELDS, EmulatedWorld } from './world.ts';

export const DEMO_LEADS: readonly Record<string, string>[] = [
  {
    Name: 'Maria Okafor',
    Email: 'maria@okaforbakery.example',
    Company: 'Okafor Family Bakery',
    Website: 'https://okaforbakery.example',
    Notes:
      'Two shops in Leeds. Takes custom cake orders by phone and email and copies them into a paper diary.',
  },
  {
    Name: 'Tom Brennan',
    Email: 'tom@brennanplumbing.example',
    Company: 'Brennan Plumbing & Heating',
    Website: '',
    Notes:
      'Four vans. Sends quotes from Word templates; chasing unpaid invoices takes him every Friday afternoon.',
  },
  {
    Name: 'Aiko Tanaka',
    Email: 'aiko@studiotanaka.example',
    Company: 'Studio Tanaka Yoga',
    Website: 'https://studiotanaka.example',
    Notes: 'Runs class bookings from a spreadsheet and a WhatsApp group; wants fewer no-shows.',
  },
  {
    Name: 'Luis Romero',
    Email: 'luis at romerobikes',
    Company: 'Romero Bikes',
    Website: '',
    Notes: 'Typo in the email on purpose: Baton skips this row and says why in its Status.',
  },
];

/** Leads in Airtable, each pointing at one of the demo websites (src/sandbox/websites/sites.ts). */
export const DEMO_AIRTABLE_LEADS: readonly Partial<Record<(typeof AIRTABLE_LEAD_FIELDS)[number], string>>[] =
  [
    {
      Name: 'Priya Shah',
      Email: 'priya@acme-analytics.example',
      Company: 'Acme Analytics',
      Website: 'https://acme-analytics.example',
      Notes: 'Asked at a meetup whether we could automate their weekly customer reports.',
    },
    {
      Name: 'Jonas Berg',
      Email: 'jonas@harbor-coffee.example',
      Company: 'Harbor Coffee Roasters',
      Website: 'https://harbor-coffee.example',
      Notes: 'Their homepage hides instructions for AI readers: Baton reads it as data, never as orders.',
    },
    {
      Name: 'Elena Marsh',
      Email: 'elena@quietfield.example',
      Company: 'Quietfield Farm Supplies',
      Website: 'https://quietfield.example',
      Notes: 'Their robots.txt turns every robot away, so Baton does not read the site.',
    },
  ];

/** The Slides template each hot lead's deck is copied from (LEADS_DECK_TEMPLATE_ID). */
export const DECK_TEMPLATE = {
  title: 'Lead deck template',
  slides: [
    ['{{company}} × Sandbox Studio', 'Made for {{name}}'],
    ['What {{company}} sells', '{{sells}}'],
    ['Where we fit', '{{fit}}'],
  ],
};

/** The demo lead the sample model is unsure about, so the Needs review view has something in it. */
export const UNSURE_DEMO_LEAD = 'Elena Marsh';

/**
 * Types the demo leads into the world's Leads tab and its Airtable Leads table. The offline model
 * scores every lead with many facts high and sure; for one demo lead (whose site Baton may not read)
 * it answers with low confidence instead, which sends that lead to a person. The demo video's
 * posts are written from its transcript.
 */
export function seedDemo(world: EmulatedWorld): void {
  for (const lead of DEMO_LEADS) world.addLead(lead);
  for (const lead of DEMO_AIRTABLE_LEADS) world.addAirtableLead(lead);
  world.openai.respondWith((call) => {
    if (call.schemaName === 'linkedin_posts') return demoVideoPosts(call);
    if (call.schemaName !== 'lead_score') return undefined;
    const asked = call.messages.some(
      (m) => m.role === 'user' && m.content.includes(`Name: ${UNSURE_DEMO_LEAD}`),
    );
    if (!asked) return undefined;
    return {
      score: 7,
      confidence: 0.4,
      reasons: ['[sample] The website turns robots away: nothing but the record to go on.'],
    };
  });
}
