// A page body written in batches that survives crashes and lost answers: progress is the page's block count.
import { ServiceError } from '../core/index.ts';
import type { NotionApi } from './api.ts';
import { type BlockRequest, blockBatches } from './markdown.ts';

export const short = (id: string): string => `${id.replace(/-/g, '').slice(0, 8)}…`;

/** How many top-level blocks the page has now (reads every page of its children). */
export async function countChildren(api: NotionApi, pageId: string): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const list = await api.listChildren(pageId, cursor, `read page ${short(pageId)}`);
    count += list.results.length;
    cursor = list.has_more ? (list.next_cursor ?? undefined) : undefined;
  } while (cursor);
  return count;
}

/**
 * Appends `blocks` from index `done` on, in batches of up to 100. Before retrying a batch it recounts
 * the page's blocks, so a batch whose answer was lost is not appended twice.
 * @throws ServiceError when the page's block count is neither before nor after the batch (someone
 *   edited the page meanwhile).
 */
export async function appendFrom(
  api: NotionApi,
  pageId: string,
  blocks: BlockRequest[],
  done: number,
): Promise<void> {
  let appended = done;
  for (const batch of blockBatches(blocks.slice(done))) {
    const before = appended;
    await api.writeOnce(
      `append blocks to page ${short(pageId)}`,
      async () => {
        const now = await countChildren(api, pageId);
        if (now >= before + batch.length) return true;
        if (now === before) return undefined;
        throw new ServiceError(
          'notion',
          `Notion page ${short(pageId)} changed while Baton was writing its body`,
          {
            hint: 'leave the page alone until Baton has finished it, then retry the run',
          },
        );
      },
      async () => {
        await api.appendChildren(pageId, batch);
        return true;
      },
    );
    appended += batch.length;
  }
}
