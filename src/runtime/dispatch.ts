// What happens to one poll's result: validate, claim, start runs; deliver signals.
import { type Engine, InvalidInputError } from '../engine/engine.ts';
import type { Logger } from '../log.ts';
import type { PollResult, Trigger } from '../triggers/trigger.ts';

/**
 * For each new item: an item whose payload fails the recipe's input schema is rejected (its reason
 * lands where the user looks, e.g. the Status cell) and never claimed; otherwise it is claimed in the
 * user's tool first and only then given a run. Items already claimed (found by a reconcile) get
 * their run back if the data folder lost it. Signals go to waiting runs of every recipe.
 */
export async function dispatchPoll(
  engine: Engine,
  recipe: string,
  trigger: Trigger,
  result: PollResult,
  log: Logger,
): Promise<void> {
  for (const item of result.items ?? []) {
    if (await engine.hasRun(recipe, item.key)) continue;
    const checked = engine.validate(recipe, item.payload);
    if (!checked.ok) {
      log.info({ item: item.key, reason: checked.reason }, 'item rejected');
      await trigger.reject?.(item, checked.reason);
      continue;
    }
    const claimed = item.claimed || !trigger.claim ? item : await trigger.claim(item);
    if (!claimed) continue;
    try {
      await engine.submit(recipe, claimed.key, claimed.payload);
    } catch (err) {
      if (err instanceof InvalidInputError) await trigger.reject?.(claimed, err.reason);
      else await trigger.release?.(claimed);
      throw err;
    }
  }
  for (const signal of result.signals ?? []) await engine.signal(signal.key, signal.payload);
}
