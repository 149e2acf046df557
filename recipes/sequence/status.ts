// The `Sequence status` words a user sees in Airtable (the contract: keep them exactly).
const day = (when: Date) => when.toISOString().slice(0, 10);
const minute = (when: Date) => `${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export const SEQUENCE_STATUS = {
  /** Written by the claim: the record is enrolled and its first email is on its way. */
  enrolled: 'Enrolled',
  stepSent: (n: number, of: number, when: Date) => `Step ${n} of ${of} sent ${minute(when)}`,
  completed: (when: Date) => `Completed ${day(when)}`,
  replied: (when: Date) => `Stopped: replied ${day(when)}`,
  unsubscribed: 'Stopped: unsubscribed',
  waitingForReview: 'Waiting for review',
  skipped: (reason: string) => `Skipped: ${reason}`,
  failed: (runId: string) => `Error: see \`baton show ${runId}\``,
} as const;

/** The Airtable fields the recipe reads and writes (exact, case-sensitive). */
export const SEQUENCE_FIELDS = {
  sequence: 'Sequence',
  status: 'Sequence status',
  unsubscribed: 'Unsubscribed',
  /** The run key `<recordId>#<token>` the claim writes: a run lost with the data folder is taken up again under it. */
  run: 'Sequence run',
  /** When the enrolment began: the steps of a run taken up again are timed from it. */
  enrolled: 'Sequence enrolled',
  email: 'Email',
  name: 'Name',
  /** The leads recipe's link to the lead's Notion dossier (read by the writer when it is there). */
  dossier: 'Research',
  /** The leads table's own Status: a reply there says `Replied …` too. */
  leadStatus: 'Status',
} as const;
