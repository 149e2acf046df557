// Sending manners shared by every recipe: GMAIL_DAILY_LIMIT, SEND_WINDOW (in TZ), do-not-contact.
export {
  DEFAULT_DAILY_LIMIT,
  DEFAULT_SEND_WINDOW,
  SendingEnv,
  type SendingSettings,
  sendingProblems,
  sendingSettings,
} from './config.ts';
export {
  addDoNotContact,
  DO_NOT_CONTACT_FILE,
  type DoNotContactEntry,
  readDoNotContact,
} from './do-not-contact.ts';
export { SENDS_FILE } from './ledger.ts';
export {
  DoNotContactError,
  SendingPausedError,
  type SendRequest,
  SendRules,
  type SendRulesOptions,
  UNSUBSCRIBED_FIELD,
  type UnsubscribedTable,
} from './rules.ts';
export {
  nextOpening,
  parseSendWindow,
  SEND_WINDOW_FORMAT,
  type SendWindow,
  SendWindowSyntaxError,
} from './window.ts';
export { isTimeZone, localDay, nextLocalMidnight } from './zone.ts';
