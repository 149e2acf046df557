// The Notion emulator: what tests and the sandbox serve in place of api.notion.com.

export { LostResponses } from '../kit/index.ts';
export { NOTION_API, NOTION_VERSIONS, NotionEmulator, type NotionEmulatorOptions } from './emulator.ts';
export type { BlockView, PageView } from './person.ts';
export type { PropertySpec, PropertyType } from './schema.ts';
export type { PlainValue } from './values.ts';
