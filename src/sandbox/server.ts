// Serves emulator handlers over local HTTP (msw's getResponse), so a Baton process — this one or a
// child — can reach the emulated services through the bridge (bridge.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

/** Requests arrive as `/__emulated/<scheme>/<host>/<path>`: the original URL, spelled into the path. */
export const EMULATED_PREFIX = '/__emulated/';

export interface EmulatorServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 (never another interface); port 0 picks a free one. */
export async function serveEmulators(
  handlers: readonly RequestHandler[],
  options: {
    port?: number;
    host?: string;
    fallback?: (req: IncomingMessage, res: ServerResponse) => void;
  } = {},
): Promise<EmulatorServer> {
  const server = createServer((req, res) => {
    if (!req.url?.startsWith(EMULATED_PREFIX)) {
      if (options.fallback) return options.fallback(req, res);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not an emulated service URL');
      return;
    }
    void answer(handlers, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(
  handlers: readonly RequestHandler[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const rest = req.url!.slice(EMULATED_PREFIX.length);
    const slash = rest.indexOf('/');
    const scheme = rest.slice(0, slash);
    const url = `${scheme}://${rest.slice(slash + 1)}`;
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (name === 'host' || value === undefined) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const request = new Request(url, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) });
    const response = await getResponse([...handlers], request);
    if (!response) {
      res.writeHead(501, { 'content-type': 'text/plain' }).end(`No emulator answers ${req.method} ${url}`);
      return;
    }
    if (response.type === 'error') {
      // An injected dropped connection: end the socket without an answer, as a network fault would.
      res.destroy();
      return;
    }
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name !== 'content-encoding' && name !== 'transfer-encoding' && name !== 'content-length')
        out[name] = value;
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, { ...out, 'content-length': String(bytes.length) }).end(bytes);
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`Emulator failed: ${(err as Error).message}`);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
