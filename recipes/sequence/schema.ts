// The fields the sequence recipe needs in every table it enrols from: `Sequence` (set by a person or
// another recipe), `Sequence status` (Baton's), and the `Unsubscribed` checkbox.
import type { AirtableFieldSpec, UserFieldSpec } from '../shared/setup/index.ts';
import { SEQUENCE_FIELDS } from './status.ts';

const TEXT = ['singleLineText', 'multilineText', 'richText'];

export const SEQUENCE_AIRTABLE_FIELDS: readonly AirtableFieldSpec[] = [
  {
    field: {
      name: SEQUENCE_FIELDS.sequence,
      type: 'singleLineText',
      description: 'The sequence (from sequences.yaml) this person is enrolled in; clear it to stop',
    },
    accepts: [...TEXT, 'singleSelect'],
  },
  {
    field: {
      name: SEQUENCE_FIELDS.status,
      type: 'singleLineText',
      description: 'Where the sequence stands (Baton); clear it to enrol again',
    },
    accepts: TEXT,
  },
  {
    field: {
      name: SEQUENCE_FIELDS.run,
      type: 'singleLineText',
      description: "Baton's run key for the enrolment (Baton); lets a lost run be taken up again",
    },
    accepts: TEXT,
  },
  {
    field: {
      name: SEQUENCE_FIELDS.enrolled,
      type: 'dateTime',
      options: {
        dateFormat: { name: 'iso' },
        timeFormat: { name: '24hour' },
        timeZone: 'utc',
      },
      description: 'When the enrolment began (Baton): later steps are timed from it',
    },
    accepts: ['dateTime', ...TEXT],
  },
  {
    field: {
      name: SEQUENCE_FIELDS.unsubscribed,
      type: 'checkbox',
      options: { color: 'redBright', icon: 'xCheckbox' },
      description: 'Ticked: never email this person again (checked before every send)',
    },
    accepts: ['checkbox'],
  },
];

export const SEQUENCE_USER_FIELDS: readonly UserFieldSpec[] = [
  { name: SEQUENCE_FIELDS.email, holds: "the person's email address" },
];
