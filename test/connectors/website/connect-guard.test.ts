// The connect-time guard, without msw: the agent refuses a non-public address at the moment of
// connecting, whatever resolved it (the DNS-rebinding defence behind the checks made beforehand).
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalFor } from '../../../connectors/website/refusal.ts';
import { get } from '../../../connectors/website/request.ts';

let server: http.Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  server = http.createServer((_req, res) => res.end('<title>loopback</title>'));
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

const send = (url: URL, host: Parameters<typeof get>[1]) =>
  get(url, host, { 'User-Agent': 'Baton/test' }, new AbortController().signal);

describe('the agent behind fetchWebsite', () => {
  it('the loopback server is really listening (so a refusal below is the guard, not a dead port)', async () => {
    const before = connections;
    const body = await new Promise<string>((resolve, reject) =>
      http
        .get(`http://127.0.0.1:${port}/`, (res) => res.setEncoding('utf8').on('data', resolve))
        .on('error', reject),
    );
    expect(body).toContain('loopback');
    expect(connections).toBe(before + 1);
  });

  it('refuses to connect when a name resolves to loopback at connect time, and nothing reaches the server', async () => {
    const before = connections;
    const url = new URL(`http://rebind.example:${port}/`);
    const err = await send(url, {
      name: 'rebind.example',
      addresses: [{ address: '127.0.0.1', family: 4 }],
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refusalFor(err, url.href)).toMatchObject({
      code: 'blocked-address',
      reason: 'refused: non-public address 127.0.0.1',
    });
    expect(connections).toBe(before);
  });

  it('refuses a literal loopback address at connect time too', async () => {
    const before = connections;
    const url = new URL(`http://127.0.0.1:${port}/`);
    const err = await send(url, { ip: '127.0.0.1' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refusalFor(err, url.href).code).toBe('blocked-address');
    expect(connections).toBe(before);
  });
});
