// Google Slides connector: the client (limits, retries, clear errors) and makeDeck (a lead's filled copy of a template).
export { type Replacement, SlidesClient } from './client.ts';
export { DeckTemplateNotFoundError, deckUrl, makeDeck } from './deck.ts';
export { classifySlides, DECK_SCOPES_FIX, describeSlides } from './failures.ts';
export { asData, MAX_VALUE_CHARS, PLACEHOLDER_NAME, placeholder } from './placeholders.ts';
export type { MadeDeck, MakeDeckInput, Presentation, SlidesClientOptions } from './types.ts';
