// What happens to one poll's result: validate, claim, start runs; deliver signals.
import { type Engine, InvalidInputError } from '../engine/engine.ts';
import type { Logger } from '../log.ts';
import type { PollResult, Trigger, TriggerItem } from '../triggers/trigger.ts';

/**
 * New items whose payload fails the recipe's input schema are rejected (the reason lands where the
 * user looks, e.g. the Status cell) and never claimed. Items already claimed (found by a reconcile)
 * get their run back if the data folder lost it. The other valid items are claimed in the user's tool
 * first, in one `claimAll` call when the trigger has it (else one `claim` each), and only the items
 * won get a run. When a run cannot be submitted, its claim is given back (`release`; `reject` when its
 * input is invalid), so are the claims this call took and had not submitted yet, and the error is
 * rethrown.
 * Signals go to waiting runs of every recipe.
 */
export async function dispatchPoll(
  engine: Engine,
  recipe: string,
  trigger: Trigger,
  result: PollResult,
  log: Logger,
): Promise<void> {
  const held: TriggerItem[] = [];
  const unclaimed: TriggerItem[] = [];
  for (const item of result.items ?? []) {
    if (await engine.hasRun(recipe, item.key)) continue;
    const checked = engine.validate(recipe, item.payload);
    if (!checked.ok) {
      log.info({ item: item.key, reason: checked.reason }, 'item rejected');
      await trigger.reject?.(item, checked.reason);
      continue;
    }
    (item.claimed || !(trigger.claimAll || trigger.claim) ? held : unclaimed).push(item);
  }
  const start = (items: TriggerItem[]) => submitAll(engine, recipe, trigger, items, log);
  await start(held);
  if (trigger.claimAll) {
    if (unclaimed.length > 0) await start(await trigger.claimAll(unclaimed));
  } else {
    for (const item of unclaimed) {
      const claimed = await trigger.claim?.(item);
      if (claimed) await start([claimed]);
    }
  }
  for (const signal of result.signals ?? []) await engine.signal(signal.key, signal.payload);
}

/** Submits each claimed item's run; on a failure, gives back that claim and those after it, and rethrows. */
async function submitAll(
  engine: Engine,
  recipe: string,
  trigger: Trigger,
  items: TriggerItem[],
  log: Logger,
): Promise<void> {
  for (const [i, item] of items.entries()) {
    try {
      // An item claimed by an earlier process: its run's first life may have made things already.
      await engine.submit(recipe, item.key, item.payload, item.claimed ? { resumed: true } : {});
    } catch (err) {
      if (err instanceof InvalidInputError) await trigger.reject?.(item, err.reason);
      else await trigger.release?.(item);
      // Claims taken by an earlier process (`claimed`) may have runs elsewhere: those stay as they are.
      for (const rest of items.slice(i + 1).filter((r) => !r.claimed)) {
        await trigger.release?.(rest).catch((releaseErr: unknown) => {
          log.warn({ item: rest.key, err: (releaseErr as Error).message }, 'could not give a claim back');
        });
      }
      throw err;
    }
  }
}
