// The sandbox bridge routes the real SDKs' requests to the emulator server, by both doors they use
// (global fetch, node's http/https), refuses every other host with a 502, and lets loopback through.
// No useEmulators here: msw patching fetch too would hide what the bridge does.
import http, { type IncomingMessage } from 'node:http';
import https, { get as namedHttpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import { sheets } from '@googleapis/sheets';
import Airtable from 'airtable';
import OpenAI from 'openai';
import { TrelloClient } from 'trello.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleAuth, GOOGLE_SCOPES } from '../../connectors/google/index.ts';
import { type Bridge, bridgeToEmulators } from '../../src/sandbox/bridge.ts';
import { type EmulatorServer, serveEmulators } from '../../src/sandbox/server.ts';
import { createWorld, REVIEW_LISTS } from '../../src/sandbox/world.ts';

const REFUSAL = (host: string) => `The sandbox lets nothing leave this machine: ${host} is not emulated`;

/** Status and body of a response from node's http/https. */
const read = (response: IncomingMessage) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      body += chunk;
    });
    response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    response.on('error', reject);
  });

describe('close()', () => {
  it('puts back fetch and the http/https request and get it swapped', () => {
    const swappable = () => [
      globalThis.fetch,
      http.request,
      http.get,
      https.request,
      https.get,
      namedHttpsGet,
    ];
    const before = swappable();
    const bridge = bridgeToEmulators('http://127.0.0.1:9');
    const during = swappable();
    for (const [i, fn] of during.entries()) expect(fn).not.toBe(before[i]);
    bridge.close();
    bridge.close();
    for (const [i, fn] of swappable().entries()) expect(fn).toBe(before[i]);
  });
});

describe('bridgeToEmulators', () => {
  const world = createWorld();
  let server: EmulatorServer;
  let bridge: Bridge;
  // A server of the test's own on loopback: what reaches it proves the bridge let the request through.
  const local = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`local ${req.method} ${req.url}`);
  });
  let localUrl: string;

  beforeAll(async () => {
    server = await serveEmulators(world.handlers());
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    localUrl = `http://127.0.0.1:${(local.address() as AddressInfo).port}`;
    bridge = bridgeToEmulators(server.url);
  });
  afterAll(async () => {
    bridge.close();
    await server.close();
    await new Promise((resolve) => local.close(resolve));
  });

  it('carries a fetch-based SDK (openai) to its emulator', async () => {
    const openai = new OpenAI({ apiKey: world.env.OPENAI_API_KEY, maxRetries: 0 });
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Reply with OK.' }],
    });
    expect(completion.choices[0]!.message.content).toMatch(/^\[sample\] /);
  });

  it('carries a fetch given a Request with a body (method, headers and body kept)', async () => {
    const response = await fetch(
      new Request('https://api.openai.com/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${world.env.OPENAI_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Reply with OK.' }],
        }),
      }),
    );
    expect(response.status).toBe(200);
    const json = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(json.choices[0]!.message.content).toMatch(/^\[sample\] /);
  });

  it('carries googleapis (gaxios, token exchange included) to the Sheets emulator', async () => {
    world.addLead({ Name: 'Ada Lovelace', Email: 'ada@example.com' });
    const auth = createGoogleAuth(
      {
        kind: 'oauth',
        clientId: world.env.GOOGLE_CLIENT_ID!,
        clientSecret: world.env.GOOGLE_CLIENT_SECRET!,
        refreshToken: world.env.GOOGLE_REFRESH_TOKEN!,
      },
      [GOOGLE_SCOPES.sheets],
    );
    const got = await sheets({ version: 'v4', auth, retry: false }).spreadsheets.values.get({
      spreadsheetId: world.spreadsheetId,
      range: 'Leads!A2:B2',
    });
    expect(got.data.values).toEqual([['Ada Lovelace', 'ada@example.com']]);
  });

  it('carries trello.js (axios over https.request) to the Trello emulator, reads and writes', async () => {
    const trello = new TrelloClient({ key: world.env.TRELLO_API_KEY!, token: world.env.TRELLO_TOKEN! });
    const lists = await trello.boards.getBoardLists({ id: world.boardId });
    expect(lists.map((l) => l.name)).toEqual(REVIEW_LISTS);
    const card = await trello.cards.createCard({ idList: lists[0]!.id!, name: 'Pitch for Ada' });
    expect((await trello.cards.getCard({ id: card.id! })).name).toBe('Pitch for Ada');
  });

  it('carries airtable (node-fetch 2 over https.request) to the Airtable emulator, reads and writes', async () => {
    const table = new Airtable({ apiKey: world.env.AIRTABLE_TOKEN!, noRetryIfRateLimited: true })
      .base(world.airtableBaseId)
      .table('Leads');
    await table.create({ Name: 'Grace Hopper', Email: 'grace@example.com' });
    const found = await table.select({ filterByFormula: "{Name} = 'Grace Hopper'" }).all();
    expect(found.map((r) => r.get('Email'))).toEqual(['grace@example.com']);
  });

  it('answers https.get to a host that is not emulated 502, naming it', async () => {
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      https.get('https://example.com/secret?q=1', resolve).on('error', reject),
    );
    expect(await read(response)).toEqual({ status: 502, body: REFUSAL('example.com') });
  });

  it('refuses by the options form and by a by-name import too', async () => {
    const byOptions = await new Promise<IncomingMessage>((resolve, reject) =>
      http
        .request({ hostname: '10.0.0.1', port: 8080, path: '/admin', method: 'POST' }, resolve)
        .on('error', reject)
        .end('{}'),
    );
    expect(await read(byOptions)).toEqual({ status: 502, body: REFUSAL('10.0.0.1') });
    const byName = await new Promise<IncomingMessage>((resolve, reject) =>
      namedHttpsGet(new URL('https://api.github.com/user'), resolve).on('error', reject),
    );
    expect(await read(byName)).toEqual({ status: 502, body: REFUSAL('api.github.com') });
  });

  it('answers a fetch to a host that is not emulated 502, naming it', async () => {
    const response = await fetch('https://example.org/', { method: 'POST', body: 'hello' });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(REFUSAL('example.org'));
  });

  it('lets loopback through untouched, by fetch and by http', async () => {
    const viaFetch = await fetch(`${localUrl}/page?x=1`);
    expect(await viaFetch.text()).toBe('local GET /page?x=1');
    const port = (local.address() as AddressInfo).port;
    const viaHttp = await new Promise<IncomingMessage>((resolve, reject) =>
      http.get({ host: '127.0.0.1', port, path: '/other' }, resolve).on('error', reject),
    );
    expect(await read(viaHttp)).toEqual({ status: 200, body: 'local GET /other' });
  });
});
