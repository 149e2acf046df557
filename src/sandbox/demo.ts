// The demo data a newcomer finds in the sandbox: a few small-business leads, one with a typo to show a skip.
import type { EmulatedWorld } from './world.ts';

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

/** Types the demo leads into the world's Leads tab. */
export function seedDemo(world: EmulatedWorld): void {
  for (const lead of DEMO_LEADS) world.addLead(lead);
}
