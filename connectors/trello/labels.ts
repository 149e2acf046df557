// Labels by name: found on the board, or created there once (a lost answer never makes two).
import type { TrelloApi } from './api.ts';
import { LabelSchema, parse } from './schemas.ts';

const COLORS = ['green', 'yellow', 'orange', 'red', 'purple', 'blue', 'sky', 'lime', 'pink'];

/** A stable color per name, so the same label looks the same on every board. */
const colorFor = (name: string): string =>
  COLORS[[...name].reduce((sum, c) => sum + c.charCodeAt(0), 0) % COLORS.length]!;

/**
 * The ids of the labels called `names` on a board (exact names), creating the missing ones.
 * @throws ServiceError / NotFoundError from the requests.
 */
export async function labelIds(api: TrelloApi, boardId: string, names: readonly string[]): Promise<string[]> {
  const known = await api.boardLabels(boardId);
  const ids: string[] = [];
  for (const name of new Set(names)) {
    let label = known.find((l) => l.name === name);
    if (!label) {
      const raw = await api.createOnce(
        'createLabel',
        async () => (await api.boardLabels(boardId)).find((l) => l.name === name),
        () => api.createLabel(boardId, name, colorFor(name)),
      );
      label = parse(LabelSchema, raw, 'createLabel');
      known.push(label);
    }
    ids.push(label.id);
  }
  return ids;
}
