// The review board's lists: the ones missing are created at the bottom of the board, the others left alone.
import type { TrelloClient } from '../../../connectors/trello/index.ts';
import type { SetupStep } from './report.ts';

export interface ListsPlan {
  /** Open lists found by name (exact, then ignoring case and surrounding spaces, as `findLists` matches). */
  existing: string[];
  missing: string[];
  /** Missing names of which only an archived list exists (a new open list is made; the archived one stays). */
  archived: string[];
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Which of `names` the board has as open lists. One request. */
export async function planTrelloLists(
  trello: TrelloClient,
  boardId: string,
  names: readonly string[],
): Promise<ListsPlan> {
  const lists = await trello.lists(boardId);
  const plan: ListsPlan = { existing: [], missing: [], archived: [] };
  for (const name of new Set(names)) {
    const matching = lists.filter((l) => same(l.name, name));
    if (matching.some((l) => !l.closed)) plan.existing.push(name);
    else {
      plan.missing.push(name);
      if (matching.length > 0) plan.archived.push(name);
    }
  }
  return plan;
}

/**
 * Creates the lists of `names` the board lacks (one request each, after one read); running it again
 * creates nothing. A list that exists only archived gets a new open one (Baton uses open lists).
 * @throws NotFoundError naming the board when it does not exist; AuthError for refused credentials
 */
export async function ensureTrelloLists(
  trello: TrelloClient,
  boardId: string,
  names: readonly string[],
  label = 'Trello board',
): Promise<SetupStep> {
  const plan = await planTrelloLists(trello, boardId, names);
  for (const name of plan.missing) await trello.createList(boardId, name);
  const created = plan.missing.map((n) =>
    plan.archived.includes(n) ? `'${n}' (an archived list of that name stays archived)` : `'${n}'`,
  );
  return { label, ok: true, created, existing: plan.existing, problems: [], noun: 'list' };
}

/**
 * For `baton doctor`: what the board has.
 * @throws Error naming each missing list and how to add it
 */
export async function checkTrelloLists(
  trello: TrelloClient,
  boardId: string,
  names: readonly string[],
): Promise<string> {
  const plan = await planTrelloLists(trello, boardId, names);
  if (plan.missing.length > 0) {
    const which = plan.missing.map((n) => `'${n}'${plan.archived.includes(n) ? ' (archived)' : ''}`);
    throw new Error(
      `the board has no open list ${which.join(', ')} — run \`baton setup\` to create ${plan.missing.length > 1 ? 'them' : 'it'}`,
    );
  }
  return `the board has the lists ${plan.existing.map((n) => `'${n}'`).join(', ')}`;
}
