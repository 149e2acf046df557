// The newFiles trigger: each file that appears in a Drive folder (of the given types) becomes one item.
import type { PollContext, PollResult, Trigger } from '../../src/triggers/index.ts';
import { type DriveClient, MAX_PAGE_SIZE } from './client.ts';
import { and, inFolder, mimeTypeClause, quote } from './query.ts';
import type { DriveFile } from './types.ts';

export interface NewFilesOptions {
  folderId: string;
  /** Types to watch: `video/` (ends in `/`: a prefix) or `application/pdf` (exact). All types when empty. */
  mimeTypes?: string[];
  /** Poll interval; the runtime's default when absent. */
  intervalMs?: number;
  /** 'now' (default): files already in the folder when watching starts are not work. 'all': they are. */
  startFrom?: 'now' | 'all';
  /** Files emitted per poll at most (default 500); the rest come with the next poll. */
  maxPerPoll?: number;
}

/** What the trigger keeps between polls: the newest creation time emitted and the files emitted at it. */
interface NewFilesCursor {
  createdTime: string;
  /** Files with exactly `createdTime` already emitted (several files can share a timestamp). */
  ids: string[];
}

/** The item key of a Drive file: one run per file. */
export const driveFileKey = (fileId: string): string => `drive:file:${fileId}`;

const EPOCH = '1970-01-01T00:00:00.000Z';

/**
 * Watches a folder and emits one item per new file (not trashed, of the given types), oldest first,
 * keyed `drive:file:<id>` with the file's metadata as payload. The cursor is the newest `createdTime`
 * emitted plus the ids emitted at exactly that time, and each poll asks for `createdTime >=` it, so a
 * file is never emitted twice (across restarts too: the cursor is in the store) and two files created
 * in the same millisecond are both emitted even when they show up in different polls. The first poll
 * checks the folder (a wrong or unshared id fails with NotFoundError naming the setting); after that
 * an idle poll is one `files.list` request. A file whose createdTime is older than the cursor when it appears (moved
 * in from elsewhere, or uploaded with an old createdTime) is not seen.
 */
export function newFiles(client: DriveClient, options: NewFilesOptions): Trigger<DriveFile> {
  const mimeTypes = options.mimeTypes ?? [];
  const maxPerPoll = options.maxPerPoll ?? 500;
  const base = and(inFolder(options.folderId), mimeTypeClause(mimeTypes));

  /**
   * The newest files now: where watching starts when it should not replay the folder. Pages are read
   * until one holds an older file (or the end): a first page may be empty before the end.
   */
  async function startingPoint(now: number): Promise<NewFilesCursor> {
    await client.folder(options.folderId);
    let newest: string | undefined;
    const ids: string[] = [];
    for await (const page of client.pages({ q: base, orderBy: 'createdTime desc' })) {
      newest ??= page[0]?.createdTime;
      ids.push(...page.filter((f) => f.createdTime === newest).map((f) => f.id));
      if (page.some((f) => f.createdTime !== newest)) break;
    }
    if (!newest) return { createdTime: new Date(now).toISOString(), ids: [] };
    return { createdTime: newest, ids };
  }

  return {
    id: `drive:${options.folderId}:new-files:${mimeTypes.join(',')}`,
    intervalMs: options.intervalMs,
    get paused() {
      return client.paused;
    },
    async poll(ctx: PollContext): Promise<PollResult<DriveFile>> {
      let cursor = await ctx.cursor.get<NewFilesCursor>();
      if (!cursor) {
        if (options.startFrom !== 'all') {
          await ctx.cursor.set(await startingPoint(ctx.now()));
          return { items: [] };
        }
        await client.folder(options.folderId);
        cursor = { createdTime: EPOCH, ids: [] };
      }
      const seen = new Set(cursor.ids);
      const fresh: DriveFile[] = [];
      let pageToken: string | undefined;
      do {
        ctx.signal.throwIfAborted();
        const page = await client.listPage({
          q: and(base, `createdTime >= ${quote(cursor.createdTime)}`),
          orderBy: 'createdTime',
          pageSize: Math.min(MAX_PAGE_SIZE, maxPerPoll + seen.size),
          ...(pageToken ? { pageToken } : {}),
        });
        for (const file of page.files) {
          if (file.createdTime === cursor.createdTime && seen.has(file.id)) continue;
          if (Date.parse(file.createdTime) < Date.parse(cursor.createdTime)) continue;
          fresh.push(file);
        }
        pageToken = page.nextPageToken;
      } while (pageToken && fresh.length < maxPerPoll);
      fresh.sort((a, b) => Date.parse(a.createdTime) - Date.parse(b.createdTime) || (a.id < b.id ? -1 : 1));
      const emitted = fresh.slice(0, maxPerPoll);
      const last = emitted.at(-1);
      if (last) {
        const atLast = emitted.filter((f) => f.createdTime === last.createdTime).map((f) => f.id);
        const ids = last.createdTime === cursor.createdTime ? [...cursor.ids, ...atLast] : atLast;
        await ctx.cursor.set({ createdTime: last.createdTime, ids });
      }
      return { items: emitted.map((file) => ({ key: driveFileKey(file.id), payload: file })) };
    },
  };
}
