// The scenarios every Store implementation must pass: the store contract and the engine's replay,
// exactly-once, wait, signal, retry and restart tests. Imported (after a store kind is selected)
// by redis-store.conformance.test.ts; the file store runs the same files directly.
import './store-contract.test.ts';
import '../engine/replay.test.ts';
import '../engine/retries.test.ts';
import '../engine/waits.test.ts';
import '../engine/signals.test.ts';
import '../engine/wake-timer.test.ts';
import '../engine/suspend-until.test.ts';
import '../engine/concurrency.test.ts';
import '../engine/journal-mismatch.test.ts';
import '../engine/wait-any-key.test.ts';
