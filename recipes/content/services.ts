// What the content recipe talks to, and its settings: built from the environment by setup.ts, or by a test.
import type { DriveClient } from '../../connectors/drive/index.ts';
import type { LinkedInClient } from '../../connectors/linkedin/index.ts';
import type { NotionClient } from '../../connectors/notion/index.ts';
import type { ImageSize, OpenAIClient } from '../../connectors/openai/index.ts';
import type { PublishWebhook } from '../../connectors/publish-webhook/index.ts';
import type { TrelloClient } from '../../connectors/trello/index.ts';
import type { Llm } from '../../src/llm/index.ts';
import type { Trigger } from '../../src/triggers/index.ts';
import type { ListRole } from '../shared/review/index.ts';
import type { SlotBook } from './calendar.ts';

export interface ContentServices {
  drive: DriveClient;
  /** Transcripts and thumbnails (always OpenAI). */
  openai: OpenAIClient;
  trello: TrelloClient;
  notion: NotionClient;
  llm: Llm;
  auditor?: Llm;
  linkedin: LinkedInClient;
  webhook: PublishWebhook;
  /** The review board's list ids by role. */
  lists(): Promise<Record<ListRole, string>>;
  /** Slack, best effort. */
  alert?(text: string): Promise<void>;
  /** The content calendar's slots: SlotLedger (data folder), or RedisSlotBook in scale-out. */
  slots: SlotBook;
  /** The process's clock (a paused publish tries again an hour later by it). */
  now(): number;
  /** The ffmpeg binary (FFMPEG_PATH, else the packaged one). */
  ffmpeg(): Promise<string>;
  triggers: { videos: Trigger; reviews: Trigger };
}

export interface ContentSettings {
  guidelines: string;
  imageStyle: string;
  imageModel: string;
  imageSize: ImageSize;
  transcribeModel: string;
  maxVideoMb: number;
  /** CONTENT_NOTION_DATABASE_ID. */
  calendar: string;
  /** Inside the data folder: downloads, audio chunks and thumbnails while a run needs them. */
  workDir: string;
  /** Rewrites per card after Needs changes (PITCH_MAX_REVISIONS). */
  maxRevisions: number;
  /** How long a card may wait for a decision (REVIEW_TIMEOUT). */
  reviewTimeout: string;
  /** How long publishing waits before trying again after an expired LinkedIn token (default 1 h). */
  tokenRetryMs?: number;
  /** Shorter transcription chunks (tests). */
  maxChunkSeconds?: number;
}

/** The calendar database's properties and Status words (a `select`). */
export const CALENDAR = {
  status: 'Status',
  publishAt: 'Publish at',
  postUrl: 'Post URL',
  video: 'Video',
  key: 'Baton key',
} as const;

export const CALENDAR_STATUS = {
  inReview: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
  rejected: 'Rejected',
} as const;

export const CONTENT_LABEL = 'Content';
