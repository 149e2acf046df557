// A lead as the pitch recipe reads it from a sheet row, with the reasons a row is skipped.
import { z } from 'zod';
import type { Lead } from '../shared/lead.ts';

const text = (max: number) => z.string().trim().max(max);

/** The columns a user fills in (headers as in the sheet); everything else in the row is ignored. */
export const LeadColumns = z.object({
  Name: text(200).min(1, 'no Name'),
  Email: z.string().trim().min(1, 'no Email').pipe(z.email('Email is not a valid address')),
  Company: text(200).default(''),
  Website: text(500).default(''),
  // Long notes are cut, not refused: the pitch still gets written from what fits.
  Notes: z
    .string()
    .default('')
    .transform((s) => s.trim().slice(0, 4000)),
});

export type { Lead } from '../shared/lead.ts';

export function toLead(columns: z.infer<typeof LeadColumns>): Lead {
  return {
    name: columns.Name,
    email: columns.Email,
    company: columns.Company,
    website: columns.Website,
    notes: columns.Notes,
  };
}
