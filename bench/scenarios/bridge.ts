// What the sandbox bridge itself keeps per request, with no Baton in the process: 10,000 requests
// through it to a local server that answers a 10 KB body, RSS and heap after a full GC every 2,000.
// `direct` sends the same requests to the local server without the bridge. One-off, not in `npm run bench`:
//
//   node --expose-gc --max-semi-space-size=2 --import tsx bench/scenarios/bridge.ts [https|fetch|direct]
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { bridgeToEmulators } from '../../src/sandbox/bridge.ts';

const mode = process.argv[2] ?? 'https';
const body = JSON.stringify(Array.from({ length: 40 }, (_, i) => ({ id: String(i), desc: 'x'.repeat(250) })));
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const bridge = mode === 'direct' ? undefined : bridgeToEmulators(url);

/** One GET through node:http(s), the way axios (trello.js) and gaxios send theirs; resolves with the body length. */
const viaNodeHttp = () =>
  new Promise<number>((resolve, reject) => {
    const target = mode === 'direct' ? `${url}/1/boards/b/cards` : 'https://api.trello.com/1/boards/b/cards';
    const req = (mode === 'direct' ? http : https).request(target, (res) => {
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        length += chunk.length;
      });
      res.on('end', () => resolve(length));
    });
    req.on('error', reject);
    req.end();
  });
const viaFetch = async () =>
  (await (await fetch('https://api.openai.com/v1/x', { method: 'POST', body: '{}' })).text()).length;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
for (let round = 0; round <= 5; round++) {
  for (let i = 0; round > 0 && i < 2000; i += 4) {
    await Promise.all([0, 1, 2, 3].map(() => (mode === 'fetch' ? viaFetch() : viaNodeHttp())));
  }
  gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  const m = process.memoryUsage();
  console.log(
    `${mode}, ${round * 2000} requests: RSS ${mb(m.rss)} MB, heap used ${mb(m.heapUsed)} MB, external ${mb(m.external)} MB`,
  );
}
bridge?.close();
server.close();
