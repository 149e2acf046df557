// What recipes keep per process by default and share through Redis in scale-out (BATON_REDIS_URL).
import type { SharedCallCount } from '../../connectors/airtable/index.ts';
import type { SlotBook } from '../content/calendar.ts';
import type { PostCalendar } from '../content/slots.ts';
import type { DoNotContactList, SendBook } from './sending/index.ts';

/**
 * The shared counters of a scale-out group (src/scale `openCoordination` builds them). Each one
 * given replaces the data folder's file for that purpose; each one left out stays per process.
 */
export interface RecipeCoordination {
  /** GMAIL_DAILY_LIMIT's count, places held and last contacts (SendRules). */
  sendBook?: SendBook;
  /** The do-not-contact list every process reads and extends (SendRules). */
  doNotContact?: DoNotContactList;
  /** The Airtable workspace's monthly calls (AirtableCallBudget). */
  airtableCalls?: SharedCallCount;
  /** The content calendar's slots for CONTENT_POST_SLOTS. */
  slots?: (calendar: PostCalendar) => SlotBook;
}
