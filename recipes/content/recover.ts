// After a lost data folder the Drive trigger's cursor is gone, and with it the runs of videos whose
// posts are still in review or scheduled: the Drive folder is then read from that moment on, so
// those videos would never be work again. The content calendar remembers: each post's page says
// `In review` or `Scheduled` and names its video, so the first poll of a fresh data folder starts
// those videos' runs again under the same keys (same run ids, same idempotency keys: the cards and
// pages are found again, not made twice, and each approved post is published once).
import { type DriveClient, type DriveFile, driveFileKey } from '../../connectors/drive/index.ts';
import type { NotionClient } from '../../connectors/notion/index.ts';
import type { TrelloClient } from '../../connectors/trello/index.ts';
import type { Trigger } from '../../src/triggers/index.ts';
import { postFromCard } from './card.ts';
import type { Post } from './prompts.ts';
import { CALENDAR, CALENDAR_STATUS } from './services.ts';

const DRIVE_FILE_URL = /\/file\/d\/([^/?#]+)/;

/** The Drive file id in a calendar page's `Video` (`https://drive.google.com/file/d/<id>/view`). */
export function videoIdOf(url: unknown): string | undefined {
  return typeof url === 'string' ? DRIVE_FILE_URL.exec(url)?.[1] : undefined;
}

/**
 * The videos with a post still `In review` or `Scheduled` in the content calendar: two queries, and
 * one Drive read per video. A video gone from Drive is left out (its run could not transcribe it).
 */
export async function videosInFlight(
  notion: NotionClient,
  drive: DriveClient,
  calendar: string,
  log?: { warn(obj: object, msg: string): void },
): Promise<DriveFile[]> {
  const ids = new Set<string>();
  for (const status of [CALENDAR_STATUS.inReview, CALENDAR_STATUS.scheduled]) {
    for (const page of await notion.queryPages(calendar, { where: { [CALENDAR.status]: status } })) {
      const id = videoIdOf(page.properties[CALENDAR.video]);
      if (id) ids.add(id);
    }
  }
  const videos: DriveFile[] = [];
  for (const id of ids) {
    try {
      videos.push(await drive.getFile(id));
    } catch (err) {
      log?.warn(
        { fileId: id, err: (err as Error).message },
        'a video with posts in flight is gone from Drive',
      );
    }
  }
  return videos;
}

/** `trigger`, whose first poll on a fresh cursor also hands back the videos `inFlight` finds (as claimed). */
export function resumingAfterLoss(
  trigger: Trigger<DriveFile>,
  inFlight: () => Promise<DriveFile[]>,
): Trigger<DriveFile> {
  return {
    ...trigger,
    async poll(ctx) {
      // Looked up before the folder's first poll sets its cursor: a failed look is tried again.
      const fresh = (await ctx.cursor.get()) === undefined;
      const resumed = fresh ? await inFlight() : [];
      const result = await trigger.poll(ctx);
      if (resumed.length === 0) return result;
      ctx.log.info({ videos: resumed.map((v) => v.name) }, 'content posts in flight found in the calendar');
      const items = resumed.map((video) => ({ key: driveFileKey(video.id), payload: video, claimed: true }));
      const known = new Set(items.map((i) => i.key));
      return { ...result, items: [...(result.items ?? []).filter((i) => !known.has(i.key)), ...items] };
    },
  };
}

/** The three posts as their cards on the board say now, when a resumed run finds all three. */
export interface AdoptedPosts {
  adopted: true;
  posts: Post[];
  /** Each card's text as it is now (the reviewer's edits included): what would be published. */
  texts: string[];
}

/**
 * A resumed run's cards, found by the idempotency keys its first life made them with (`<runId>:
 * post-<n>-card`). Undefined unless all three are there: the run then writes its posts as usual and
 * the cards that exist are found again by `createCard`.
 */
export async function adoptCards(
  trello: TrelloClient,
  reviewListId: string,
  runId: string,
): Promise<AdoptedPosts | undefined> {
  const cards = [];
  for (const n of [1, 2, 3]) {
    const card = await trello.findCard(reviewListId, `${runId}:post-${n}-card`);
    if (!card) return undefined;
    cards.push(card);
  }
  const texts = cards.map((c) => postFromCard(c.desc));
  const posts = cards.map((card, i) => {
    const hook = card.name.replace(/^Post \d+:\s*/, '') || texts[i]!.split('\n')[0]!;
    // Only what the run still needs: the card and page exist, so only a thumbnail made again at
    // publishing (when the first one's file went with the data folder) uses the picture prompt.
    return { hook, body: texts[i]!, hashtags: [], imagePrompt: `A picture for the post: ${hook}` };
  });
  return { adopted: true, posts, texts };
}
