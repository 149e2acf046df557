// Routes this process's requests for the emulated hosts to an emulator server (server.ts).
//
// Why interception rather than each SDK's base-URL option: trello.js v1 cannot change its host, and
// one interception point covers every SDK the same way, with nothing else able to leave the machine
// (any other request fails loudly).
//
// Why not msw: this bridge rides in the Baton process the memory bench measures, and msw's socket
// interception costs ~30 MB at rest and keeps every node:https request (msw issue #2405). The SDKs
// send by two doors only — global fetch (openai, @notionhq/client, our own code) and node's
// http/https `request`/`get` (trello.js via axios, airtable via node-fetch 2, gaxios via node-fetch 3,
// the website reader) — so the bridge swaps those five functions and rewrites the URL: nothing is
// kept per request. Any host neither emulated nor loopback goes to the server's refusal route, so
// both doors fail the same way (502, naming the host).

import http, { type ClientRequest, type RequestOptions } from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { urlToHttpOptions } from 'node:url';
import { EMULATED_PREFIX, REFUSED_PREFIX } from './bridge-paths.ts';

export const EMULATED_HOSTS = [
  'sheets.googleapis.com',
  'gmail.googleapis.com',
  'slides.googleapis.com',
  'oauth2.googleapis.com',
  'www.googleapis.com',
  'api.trello.com',
  'api.openai.com',
  'api.airtable.com',
  'api.notion.com',
  'hooks.slack.com',
  'api.linkedin.com',
  // LinkedIn's image upload URLs (dms-uploads) are on the main site.
  'www.linkedin.com',
  // The sandbox's stand-in for a publish webhook (a reserved .example name: never a real host).
  'hooks.publish.example',
] as const;

/** Hosts on this machine: the sandbox page and a test's own servers; requests to them go through. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** What `bridgeToEmulators` returns. */
export interface Bridge {
  /** Puts back the functions it swapped (fetch, http/https request and get). Idempotent. */
  close(): void;
}

type Send = (...args: unknown[]) => ClientRequest;
type NodeHttp = Record<'request' | 'get', Send>;

/** Options kept when a node request goes to the emulator server: no agent, lookup, TLS or address. */
const KEPT = [
  'method',
  'headers',
  'signal',
  'timeout',
  'auth',
  'insecureHTTPParser',
  'maxHeaderSize',
] as const;

/**
 * Starts routing: every request to one of `hosts` goes to `serverUrl`, any other (but loopback) to
 * the server's refusal (502). Build SDK clients after this: some capture fetch when constructed.
 */
export function bridgeToEmulators(serverUrl: string, hosts: readonly string[] = EMULATED_HOSTS): Bridge {
  const server = new URL(serverUrl);
  /** The server path for a request to `host` (with its port if not the default); undefined for loopback. */
  const pathFor = (scheme: string, hostname: string, host: string, path: string): string | undefined => {
    if (hosts.includes(hostname)) return `${EMULATED_PREFIX}${scheme}/${host}${path}`;
    if (LOOPBACK.has(hostname)) return undefined;
    return `${REFUSED_PREFIX}${encodeURIComponent(hostname)}`;
  };

  const fetchBefore = globalThis.fetch;
  // Async: a bad URL rejects, as fetch's own does, rather than throwing.
  const bridgedFetch: typeof fetch = async (input, init) => {
    const request = typeof input === 'string' || input instanceof URL ? undefined : input;
    const url = new URL(request ? request.url : input);
    const path = pathFor(url.protocol.slice(0, -1), url.hostname, url.host, `${url.pathname}${url.search}`);
    if (path === undefined) return fetchBefore(input, init);
    const target = new URL(path, server);
    // Redirects are handed back, not followed: undici would follow one past this function, off the machine.
    if (!request) return fetchBefore(target, { ...init, redirect: 'manual' });
    const merged = new Request(request, init);
    return fetchBefore(
      new Request(target, {
        method: merged.method,
        headers: merged.headers,
        body: merged.body,
        signal: merged.signal,
        redirect: 'manual',
        // A streamed body must say so.
        duplex: 'half',
      }),
    );
  };

  const swapped = [http, https].map((module) => {
    const mod = module as unknown as NodeHttp;
    return {
      mod,
      original: { request: mod.request, get: mod.get },
      scheme: module === https ? 'https' : 'http',
    };
  });
  // Plain http to the server, whichever module was called: the emulators speak no TLS.
  const plainRequest = swapped[0]!.original.request;
  for (const { mod, original, scheme } of swapped) {
    // Node's signatures: (url, options?, callback?) and (options, callback?).
    const request = (...args: unknown[]): ClientRequest => {
      const [first, second, third] = args;
      const fromUrl = typeof first === 'string' || first instanceof URL;
      const options: RequestOptions = fromUrl
        ? urlToHttpOptions(new URL(first))
        : { ...(first as RequestOptions) };
      const callback = fromUrl && typeof second !== 'function' ? third : second;
      if (fromUrl && typeof second === 'object' && second !== null) Object.assign(options, second);
      const protocol = options.protocol ?? `${scheme}:`;
      const bare = (options.hostname ?? options.host ?? 'localhost').toLowerCase();
      const hostname = bare.includes(':') && !bare.startsWith('[') ? `[${bare}]` : bare;
      const port = options.port ?? options.defaultPort;
      const defaultPort = protocol === 'https:' ? 443 : 80;
      const host = port != null && Number(port) !== defaultPort ? `${hostname}:${port}` : hostname;
      const path = pathFor(protocol.slice(0, -1), hostname, host, options.path ?? '/');
      if (path === undefined) return original.request(...args);
      const kept: RequestOptions = { hostname: server.hostname, port: server.port, path };
      for (const key of KEPT) if (options[key] !== undefined) Object.assign(kept, { [key]: options[key] });
      return plainRequest(kept, callback);
    };
    mod.request = request;
    // As node's get: a request with no body, ended at once.
    mod.get = (...args: unknown[]) => request(...args).end();
  }
  globalThis.fetch = bridgedFetch;
  // Modules that imported `request` by name (import { request } from 'node:https') see the swap too.
  syncBuiltinESMExports();

  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      globalThis.fetch = fetchBefore;
      for (const { mod, original } of swapped) Object.assign(mod, original);
      syncBuiltinESMExports();
    },
  };
}
