// A contact as the pathway reads it from its Airtable record; a record without a usable Email is
// refused by these rules (the trigger writes `Skipped: <reason>`, no model is asked).
import { z } from 'zod';

/** Airtable leaves empty cells out of a record: an absent cell reads as empty text. */
const cell = (max: number) =>
  z.preprocess(
    (v) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v)),
    z.string().trim().max(max),
  );

/** The fields a user (or the Gmail inbound) fills in; everything else on the record is ignored. */
export const ContactFields = z.object({
  Name: cell(200),
  Email: cell(320).pipe(z.string().min(1, 'no Email')).pipe(z.email('Email is not a valid address')),
  Company: cell(200),
  // Long messages are cut, not refused: the contact is still evaluated from what fits.
  Message: z
    .preprocess((v) => (typeof v === 'string' ? v : ''), z.string())
    .transform((s) => s.trim().slice(0, 4000)),
  Source: cell(200),
  Value: z.preprocess(
    (v) => (v === undefined || v === null || v === '' ? undefined : typeof v === 'number' ? v : Number(v)),
    z.number().finite().optional().catch(undefined),
  ),
});

export interface Contact {
  name: string;
  email: string;
  company: string;
  message: string;
  source: string;
  value?: number;
}

export function toContact(fields: z.output<typeof ContactFields>): Contact {
  return {
    // A form without a name still names the person somehow: the address's local part.
    name: fields.Name || fields.Email.split('@')[0]!,
    email: fields.Email,
    company: fields.Company,
    message: fields.Message,
    source: fields.Source,
    ...(fields.Value !== undefined ? { value: fields.Value } : {}),
  };
}
