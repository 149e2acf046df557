// Path-pattern routing for emulators whose API is one catch-all handler: `boards/:id/cards`.

/**
 * The first route whose method and `/`-separated pattern match `segments`, with the values of its
 * `:name` parts in order; undefined when none matches.
 */
export function matchRoute<R extends { method: string; path: string }>(
  routes: readonly R[],
  method: string,
  segments: string[],
): { route: R; args: string[] } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length) continue;
    const args: string[] = [];
    if (pattern.every((p, i) => (p.startsWith(':') ? args.push(segments[i]!) > 0 : p === segments[i]))) {
      return { route, args };
    }
  }
  return undefined;
}
