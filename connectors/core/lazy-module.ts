// Loads an SDK on first use instead of at start-up: a Baton process then pays only for the services
// its configured recipes call (each SDK is several MB of resident memory once loaded, see bench/README).
// Synchronous (require), so clients and helpers keep their synchronous signatures.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function returning `specifier`'s exports, loading the package the first time it is called. */
export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(specifier) as T;
    return loaded;
  };
}
