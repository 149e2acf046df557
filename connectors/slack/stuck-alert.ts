// One Slack alert when a trigger stops working for a reason only a person can fix (e.g. an expired sign-in).
import type { PollContext, Trigger } from '../../src/triggers/index.ts';
import { ServiceError } from '../core/index.ts';
import type { SlackNotifier } from './notifier.ts';

/**
 * `trigger`, with a Slack alert the first time a poll fails with an error retrying cannot fix (a
 * non-retryable ServiceError: Google refused the sign-in, a sheet or board is gone). Later polls
 * failing the same way send nothing; after a poll succeeds, the next such failure alerts again.
 * Outages that fix themselves (5xx, rate limits) are left to the log. The state lives in this
 * process: `baton start` alerts once per outage; each `baton run --once` alerts at most once.
 * `watching` names what the trigger reads, e.g. "the lead sheet".
 */
export function alertWhenStuck<T extends Trigger>(trigger: T, slack: SlackNotifier, watching: string): T {
  let alerted: string | undefined;
  const poll = async (ctx: PollContext) => {
    try {
      const result = await trigger.poll(ctx);
      alerted = undefined;
      return result;
    } catch (err) {
      if (err instanceof ServiceError && !err.retryable && alerted !== err.message) {
        alerted = err.message;
        await slack.notify({ text: `Baton cannot read ${watching}: ${err.message}` });
      }
      throw err;
    }
  };
  // Everything else (claim, reject, paused…) is the trigger's own, called on the trigger itself. A
  // `poll` assigned later (a wrapper that counts polls) replaces ours here, never the inner trigger's:
  // ours calls the inner one, so setting it there would make the two call each other forever.
  let outer: Trigger['poll'] = poll;
  return new Proxy(trigger, {
    get(target, property) {
      if (property === 'poll') return outer;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(target, property, value) {
      if (property !== 'poll') return Reflect.set(target, property, value, target);
      outer = value as Trigger['poll'];
      return true;
    },
  });
}
