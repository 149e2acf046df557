// The Trello emulator: what tests and the sandbox serve in place of api.trello.com.

export { LostResponses } from '../kit/index.ts';
export { TRELLO_API, TrelloEmulator, type TrelloEmulatorOptions } from './emulator.ts';
export type { BoardView, CardView } from './person.ts';
