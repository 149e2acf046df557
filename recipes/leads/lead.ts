// A lead as the leads recipe reads it from its Airtable record, with the reasons a record is skipped.
import { z } from 'zod';
import type { Lead } from './prompts.ts';

/** Airtable leaves empty cells out of a record: an absent cell reads as empty text. */
const cell = (max: number) =>
  z.preprocess(
    (v) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v)),
    z.string().trim().max(max),
  );

/** The fields a user fills in; everything else on the record is ignored. */
export const LeadFields = z.object({
  Name: cell(200).pipe(z.string().min(1, 'no Name')),
  Email: cell(320).pipe(z.string().min(1, 'no Email')).pipe(z.email('Email is not a valid address')),
  Company: cell(200),
  Website: cell(2000),
  // Long notes are cut, not refused: the lead is still researched from what fits.
  Notes: z
    .preprocess((v) => (typeof v === 'string' ? v : ''), z.string())
    .transform((s) => s.trim().slice(0, 4000)),
});

export function toLead(fields: z.output<typeof LeadFields>): Lead {
  return {
    name: fields.Name,
    email: fields.Email,
    company: fields.Company,
    website: fields.Website,
    notes: fields.Notes,
  };
}

/** A booking link with the lead's name and email filled in (Calendly and Cal.com both read them). */
export function bookingLink(base: string, lead: Pick<Lead, 'name' | 'email'>): string {
  const url = new URL(base);
  url.searchParams.set('name', lead.name);
  url.searchParams.set('email', lead.email);
  return url.toString();
}
