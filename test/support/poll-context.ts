// What a trigger's poll gets, for tests that poll a trigger directly: a cursor in memory, a clock.
import type { Clock } from '../../src/clock.ts';
import { silentLogger } from '../../src/log.ts';
import type { Cursor, PollContext } from '../../src/triggers/index.ts';

/** A trigger cursor kept in a plain object, serialised like a store would. */
export function memoryCursor(): Cursor & { value: unknown } {
  const box: { value: unknown } = { value: undefined };
  return {
    get value() {
      return box.value;
    },
    async get<V>() {
      return box.value as V | undefined;
    },
    async set<V>(value: V) {
      box.value = JSON.parse(JSON.stringify(value));
    },
  };
}

export function pollContext(clock: Clock, cursor: Cursor = memoryCursor()): PollContext {
  return { cursor, log: silentLogger, now: () => clock.now(), signal: new AbortController().signal };
}
