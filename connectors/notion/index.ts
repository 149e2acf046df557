// Notion connector: the client (limits, retries, pages written once by key, Markdown bodies within limits).
export { NOTION_VERSION } from './api.ts';
export { NotionClient } from './client.ts';
export { classifyNotion, describeNotion, type NotionHints } from './failures.ts';
export { type FileToUpload, FREE_PLAN_UPLOAD_BYTES } from './files.ts';
export { type BlockRequest, blockBatches, markdownBlocks } from './markdown.ts';
export type {
  CreatedPage,
  CreatePageInput,
  DataSourceInfo,
  NotionClientOptions,
  NotionPage,
  PageFilter,
  PropertyInput,
  PropertyValue,
} from './types.ts';
