// Trello connector: the client (limits, retries, idempotent cards and comments) and the cardMoved trigger.
export { CARD_FEED_FILTER, type CardMovedOptions, cardMoved, cardSignalKey } from './card-moved.ts';
export { MAX_TEXT, TrelloClient } from './client.ts';
export { createdAt } from './created-at.ts';
export { INSTANCE_LIST, TrelloInstanceHome, trelloInstanceHome } from './instances.ts';
export { hasMarker, markedText, markerOf, stripMarker } from './marker.ts';
export type { TrelloAction } from './schemas.ts';
export type {
  CardCommentSignal,
  CardInListSignal,
  CardMovedSignal,
  CardSignalPayload,
  CardSummary,
  CardUpdate,
  CreateCardInput,
  ListName,
  TrelloCard,
  TrelloClientOptions,
  TrelloComment,
} from './types.ts';
