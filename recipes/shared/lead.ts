// A lead as every recipe works with it, whatever it was read from (a sheet row, an Airtable record).
export interface Lead {
  name: string;
  email: string;
  company: string;
  website: string;
  notes: string;
}
