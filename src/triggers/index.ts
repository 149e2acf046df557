// The poller runtime and the contract connectors implement to feed it.
export type { Cursor, PollContext, PollResult, Trigger, TriggerItem, TriggerSignal } from './trigger.ts';
