// One Baton per sheet/board: instances announce themselves on the sources they poll (see README).
export { InstanceBusyError } from './errors.ts';
export { type GuardedHome, InstanceGuard, type InstanceGuardOptions, otherInstances } from './guard.ts';
export {
  describeHeartbeat,
  Heartbeat,
  inGroup,
  isLive,
  MIN_STALE_AFTER_MS,
  parseHeartbeat,
  staleAfter,
} from './heartbeat.ts';
export type { InstanceHome } from './home.ts';
export { instanceIdOf, readInstanceId } from './instance-id.ts';
