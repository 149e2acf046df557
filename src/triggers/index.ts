// The poller runtime, cron schedules, and the contract connectors implement to feed them.

export type { PollGate, PollTurn } from './poll-gate.ts';
export { Poller, type PollerOptions, type PollerState } from './poller.ts';
export {
  isScheduleTrigger,
  type ScheduleItem,
  type ScheduleOptions,
  type ScheduleTrigger,
  schedule,
  scheduleItemKey,
} from './schedule.ts';
export type { Cursor, PollContext, PollResult, Trigger, TriggerItem, TriggerSignal } from './trigger.ts';
