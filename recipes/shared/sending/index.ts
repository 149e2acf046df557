// Sending manners shared by every recipe: GMAIL_DAILY_LIMIT, SEND_WINDOW (in TZ), CONTACT_COOLDOWN,
// do-not-contact, and the unsubscribe line, postal address and List-Unsubscribe of unattended mail.

export {
  type DoNotContactList,
  FileDoNotContact,
  LocalSendBook,
  type Reservation,
  type SendBook,
} from './book.ts';
export {
  DEFAULT_CONTACT_COOLDOWN,
  DEFAULT_DAILY_LIMIT,
  DEFAULT_SEND_WINDOW,
  DEFAULT_UNSUBSCRIBE_TEXT,
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
export { type LastContact, SENDS_FILE } from './ledger.ts';
export {
  ContactCooldownError,
  DoNotContactError,
  SendingPausedError,
  type SendRequest,
  SendRules,
  type SendRulesOptions,
  UNSUBSCRIBED_FIELD,
  type UnsubscribedTable,
} from './rules.ts';
export { isUnsubscribeReply, type UnattendedEmail, unattendedEmail } from './unattended.ts';
export {
  nextOpening,
  parseSendWindow,
  SEND_WINDOW_FORMAT,
  type SendWindow,
  SendWindowSyntaxError,
} from './window.ts';
export { isTimeZone, localDay, nextLocalMidnight } from './zone.ts';
