// The newFiles trigger: each file that appears in a Drive folder (of the given types) becomes one item.
import type { PollContext, PollResult, Trigger } from '../../src/triggers/index.ts';
import { type DriveClient, MAX_PAGE_SIZE } from './client.ts';
import { and, inFolder, mimeTypeClause, quote } from './query.ts';
import type { DriveFile } from './types.ts';

export interface NewFilesOptions {
  folderId: string;
  /** Types to watch: `video/` (ends in `/`: a prefix) or `application/pdf` (exact). All types when empty. */
  mimeTypes?: string[];
  /**
   * Files to take, judged here rather than in Drive's query (e.g. by extension); the others are
   * skipped, each with one debug line. All files when absent.
   */
  accept?: (file: DriveFile) => boolean;
  /**
   * Take a file only once its size is the same in two polls in a row: a file still being uploaded
   * is left alone until it stops growing. Every file then takes at least two polls.
   */
  waitForStableSize?: boolean;
  /** Poll interval; the runtime's default when absent. */
  intervalMs?: number;
  /** 'now' (default): files already in the folder when watching starts are not work. 'all': they are. */
  startFrom?: 'now' | 'all';
  /** Files emitted per poll at most (default 500); the rest come with the next poll. */
  maxPerPoll?: number;
}

/** What the trigger keeps between polls: the newest creation time handled and the files handled at it. */
interface NewFilesCursor {
  createdTime: string;
  /** Files with exactly `createdTime` already handled (several files can share a timestamp). */
  ids: string[];
  /** Files seen but not emitted yet because their size may still change: the size last seen. */
  pending?: Record<string, { size: number | null; createdTime: string }>;
}

/** The item key of a Drive file: one run per file. */
export const driveFileKey = (fileId: string): string => `drive:file:${fileId}`;

const EPOCH = '1970-01-01T00:00:00.000Z';

const byCreation = (a: DriveFile, b: DriveFile): number =>
  Date.parse(a.createdTime) - Date.parse(b.createdTime) || (a.id < b.id ? -1 : 1);

/**
 * Watches a folder and emits one item per new file (not trashed, of the given types, accepted),
 * oldest first, keyed `drive:file:<id>` with the file's metadata as payload. The cursor is the newest
 * `createdTime` handled (emitted, skipped, or waiting for its size to settle) plus the ids handled at
 * exactly that time, and each poll asks for `createdTime >=` it (or the oldest waiting file's), so a
 * file is never emitted twice (across restarts too: the cursor is in the store) and two files created
 * in the same millisecond are both emitted even when they show up in different polls. The first poll
 * checks the folder (a wrong or unshared id fails with NotFoundError naming the setting); after that
 * an idle poll is one `files.list` request. A file whose createdTime is older than the cursor when it
 * appears (moved in from elsewhere, or uploaded with an old createdTime) is not seen.
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
      const pending = cursor.pending ?? {};
      const waiting = Object.keys(pending).length;
      const from = Object.values(pending).reduce(
        (oldest, p) => (Date.parse(p.createdTime) < Date.parse(oldest) ? p.createdTime : oldest),
        cursor.createdTime,
      );
      const handledBefore = new Set(cursor.ids);
      const done = (file: DriveFile) =>
        !(file.id in pending) &&
        (Date.parse(file.createdTime) < Date.parse(cursor.createdTime) ||
          (file.createdTime === cursor.createdTime && handledBefore.has(file.id)));
      const candidates: DriveFile[] = [];
      let pageToken: string | undefined;
      do {
        ctx.signal.throwIfAborted();
        const page = await client.listPage({
          q: and(base, `createdTime >= ${quote(from)}`),
          orderBy: 'createdTime',
          pageSize: Math.min(MAX_PAGE_SIZE, maxPerPoll + handledBefore.size + waiting),
          ...(pageToken ? { pageToken } : {}),
        });
        candidates.push(...page.files.filter((f) => !done(f)));
        pageToken = page.nextPageToken;
      } while (pageToken && candidates.length < maxPerPoll + waiting);
      candidates.sort(byCreation);

      const emitted: DriveFile[] = [];
      const handled: DriveFile[] = [];
      const stillPending: NonNullable<NewFilesCursor['pending']> = {};
      for (const file of candidates) {
        if (emitted.length >= maxPerPoll) break;
        handled.push(file);
        if (options.accept && !options.accept(file)) {
          ctx.log.debug(
            { trigger: 'drive new files', file: file.name, mimeType: file.mimeType },
            `Drive file '${file.name}' (${file.mimeType}) ignored: not a type this trigger takes`,
          );
          continue;
        }
        if (options.waitForStableSize) {
          const size = file.size ?? null;
          if (size === null || pending[file.id]?.size !== size) {
            stillPending[file.id] = { size, createdTime: file.createdTime };
            continue;
          }
        }
        emitted.push(file);
      }
      // A waiting file not reached this poll stays waiting, unless the whole folder was listed
      // without it (trashed or deleted meanwhile).
      const listedAll = !pageToken;
      const listed = new Set(candidates.map((f) => f.id));
      const reached = new Set(handled.map((f) => f.id));
      for (const [id, seen] of Object.entries(pending)) {
        if (!reached.has(id) && (listed.has(id) || !listedAll)) stillPending[id] = seen;
      }

      const newest = handled.reduce<DriveFile | undefined>(
        (n, f) => (n === undefined || byCreation(f, n) > 0 ? f : n),
        undefined,
      );
      let next: NewFilesCursor = { createdTime: cursor.createdTime, ids: cursor.ids };
      if (newest && Date.parse(newest.createdTime) >= Date.parse(cursor.createdTime)) {
        const atNewest = handled.filter((f) => f.createdTime === newest.createdTime).map((f) => f.id);
        next =
          newest.createdTime === cursor.createdTime
            ? { createdTime: cursor.createdTime, ids: [...new Set([...cursor.ids, ...atNewest])] }
            : { createdTime: newest.createdTime, ids: atNewest };
      }
      if (Object.keys(stillPending).length > 0) next.pending = stillPending;
      if (JSON.stringify(next) !== JSON.stringify(cursor)) await ctx.cursor.set(next);
      return { items: emitted.map((file) => ({ key: driveFileKey(file.id), payload: file })) };
    },
  };
}
