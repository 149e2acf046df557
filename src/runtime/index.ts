// The Baton process and how poll results reach the engine.
export { Baton, type BatonOptions } from './baton.ts';
export { describeStore, dispatcherFor, storeFor } from './configured-store.ts';
export { dispatchPoll } from './dispatch.ts';
