// The paths the bridge (bridge.ts) and the emulator server (server.ts) agree on. Apart from both so
// that the bridge, which a measured Baton process carries, loads neither msw nor Hono.

/** Requests arrive as `/__emulated/<scheme>/<host>/<path>`: the original URL, spelled into the path. */
export const EMULATED_PREFIX = '/__emulated/';

/** `/__refused/<host>`: answered 502, naming the host that is not emulated. */
export const REFUSED_PREFIX = '/__refused/';

/** The refusal's text, for a request to `host`. */
export const refusal = (host: string) =>
  `The sandbox lets nothing leave this machine: ${host} is not emulated`;
