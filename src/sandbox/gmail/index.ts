// The Gmail emulator: msw handlers for gmail.googleapis.com plus person-style helpers for tests and the sandbox.
export { type FaultTarget, GMAIL_API, GmailEmulator, type GmailEmulatorOptions } from './emulator.ts';
export type { EmulatedDraft, EmulatedMessage, InboundOptions, InboundReply } from './person.ts';
export { SUPPORTED_OPERATORS } from './query.ts';
export { METHOD_UNITS } from './quota.ts';
