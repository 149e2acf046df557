// `baton auth google`: gets a Google refresh token with the installed-app loopback flow (PKCE), for
// the exact scopes Baton needs, and prints the lines to paste into .env. The loopback server is a
// one-route Hono app.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { Hono } from 'hono';
import { GOOGLE_SCOPES, oauthErrorOf } from '../../../connectors/google/index.ts';
import { googleScopesFor } from '../../../recipes/google-scopes.ts';
import { BatonError } from '../../engine/index.ts';
import { ConfigProblems } from '../environment.ts';
import { describeGoogleTokenError } from './doctor-pitch.ts';
import type { Output } from './runs.ts';

/** The pitch recipe's scopes: read and write the lead sheet, compose and send drafts, read replies. */
export const BATON_GOOGLE_SCOPES = [GOOGLE_SCOPES.sheets, GOOGLE_SCOPES.gmail, GOOGLE_SCOPES.gmailRead];

/** The product each scope opens, for the consent prompt. */
const PRODUCTS: Record<string, string> = {
  [GOOGLE_SCOPES.sheets]: 'Google Sheets',
  [GOOGLE_SCOPES.gmail]: 'Gmail',
  [GOOGLE_SCOPES.gmailRead]: 'Gmail',
  [GOOGLE_SCOPES.driveFull]: 'Google Drive',
  [GOOGLE_SCOPES.presentations]: 'Google Slides',
};

export interface AuthGoogleOptions {
  /** Loopback port for Google's redirect (default 0: any free port; fix it to tunnel over SSH). */
  port?: number;
  /** How long to wait for the browser (default 5 min). */
  timeoutMs?: number;
  /** Called with the consent URL once the loopback server listens (tests play the browser). */
  onConsentUrl?(url: string): void;
}

/**
 * Prints the consent URL, waits on 127.0.0.1 for Google's redirect, exchanges the code (with its PKCE
 * verifier) and prints `GOOGLE_REFRESH_TOKEN=…`. Asks for the scopes of the configured recipes only
 * (`googleScopesFor(env)`). Returns 0, or 1 when Google granted fewer scopes than Baton needs.
 * @throws ConfigProblems without GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET; BatonError when the user
 *   declines, the browser never comes back, or Google refuses the code.
 */
export async function authGoogle(
  env: NodeJS.ProcessEnv,
  io: Output,
  options: AuthGoogleOptions = {},
): Promise<number> {
  const clientId = env.GOOGLE_CLIENT_ID?.trim();
  const clientSecret = env.GOOGLE_CLIENT_SECRET?.trim();
  if (!clientId || !clientSecret) {
    throw new ConfigProblems(
      [...(clientId ? [] : ['GOOGLE_CLIENT_ID']), ...(clientSecret ? [] : ['GOOGLE_CLIENT_SECRET'])].map(
        (name) =>
          `${name} is required — create an OAuth client of type "Desktop app" in Google Cloud Console → APIs & Services → Credentials`,
      ),
    );
  }
  const scopes = googleScopesFor(env);
  const products = [...new Set(scopes.map((s) => PRODUCTS[s] ?? short(s)))];
  const state = randomBytes(16).toString('hex');
  const redirect = redirectCatcher(state);
  const server = createAdaptorServer({ fetch: redirect.app.fetch, overrideGlobalObjects: false }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new BatonError(`Cannot listen on 127.0.0.1:${options.port ?? 0} (${(err as Error).message})`, {
          hint: 'pick another --port',
        }),
      ),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  try {
    const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new OAuth2Client({ clientId, clientSecret, redirectUri });
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const consentUrl = client.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: scopes,
      state,
      code_challenge_method: CodeChallengeMethod.S256,
      ...(codeChallenge ? { code_challenge: codeChallenge } : {}),
    });
    io.out(
      [
        `Open this address in a browser on this computer and allow Baton access to ${products.join(', ').replace(/, ([^,]*)$/, ' and $1')}:`,
        '',
        `  ${consentUrl}`,
        '',
        `Waiting for Google to send the browser back to ${redirectUri} …`,
      ].join('\n'),
    );
    options.onConsentUrl?.(consentUrl);
    const code = await withTimeout(redirect.code, options.timeoutMs ?? 5 * 60_000);
    let tokens: { refresh_token?: string | null; scope?: string | null | undefined };
    try {
      tokens = (await client.getToken({ code, codeVerifier, redirect_uri: redirectUri })).tokens;
    } catch (err) {
      throw new BatonError(describeExchangeError(err), { cause: err });
    }
    if (!tokens.refresh_token) {
      throw new BatonError('Google sent no refresh token', {
        hint: 'remove Baton at https://myaccount.google.com/permissions, then run `baton auth google` again',
      });
    }
    const granted = (tokens.scope ?? '').split(' ').filter(Boolean);
    const missing = scopes.filter((s) => !granted.includes(s));
    if (granted.length > 0 && missing.length > 0) {
      io.out(
        `✗ Google granted Baton too little: ${missing.map(short).join(', ')} missing — run \`baton auth google\` again and leave every box ticked.`,
      );
      return 1;
    }
    io.out(
      [
        '',
        `✓ Google granted Baton: ${(granted.length > 0 ? granted : scopes).map(short).join(', ')}`,
        '',
        'Paste these lines into .env (on the server too, if Baton runs elsewhere), keeping',
        'GOOGLE_CLIENT_SECRET as it is: the token only works with this OAuth client.',
        '',
        `GOOGLE_CLIENT_ID=${clientId}`,
        `GOOGLE_REFRESH_TOKEN=${tokens.refresh_token}`,
        '',
        'Then check everything with: baton doctor',
      ].join('\n'),
    );
    return 0;
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

/**
 * The loopback app: answers the browser's redirect carrying `code` and our `state` with a short page
 * and settles `code`. Requests without them (favicon, a stale tab) are answered and ignored.
 */
function redirectCatcher(state: string): {
  app: Hono<{ Bindings: Partial<HttpBindings> }>;
  code: Promise<string>;
} {
  let settle: { resolve(code: string): void; reject(err: Error): void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  code.catch(() => undefined); // read by withTimeout; a late rejection must not go unhandled
  const app = new Hono<{ Bindings: Partial<HttpBindings> }>();
  app.all('*', (c) => {
    // Settled once the page is sent: the command closes the server right after.
    const afterPage = (then: () => void) => (c.env.outgoing ? c.env.outgoing.once('finish', then) : then());
    const page = (status: 200 | 404, text: string) =>
      c.html(`<!doctype html><title>Baton</title><p style="font: 16px sans-serif">${text}</p>`, status, {
        connection: 'close',
      });
    const error = c.req.query('error');
    const received = c.req.query('code');
    if (c.req.query('state') !== state || (!received && !error))
      return page(404, 'This is not the sign-in Baton is waiting for.');
    if (error) {
      afterPage(() =>
        settle?.reject(
          new BatonError(`Google sign-in ended with '${error}'`, {
            hint: 'run `baton auth google` again and choose Allow',
          }),
        ),
      );
      return page(200, 'Baton did not get access. You can close this tab.');
    }
    afterPage(() => settle?.resolve(received!));
    return page(200, 'Baton has its Google access. You can close this tab and go back to the terminal.');
  });
  return { app, code };
}

/** `code`, or a BatonError when the browser does not come back within `timeoutMs`. */
function withTimeout(code: Promise<string>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new BatonError(`No answer from the browser within ${Math.round(timeoutMs / 60_000)} min`, {
          hint: 'run `baton auth google` again and open the address it prints',
        }),
      );
    }, timeoutMs);
  });
  return Promise.race([code, timeout]).finally(() => clearTimeout(timer));
}

function describeExchangeError(err: unknown): string {
  const refusal = oauthErrorOf(err);
  if (!refusal || refusal.error === 'invalid_client') return describeGoogleTokenError(err, false);
  const { error, description } = refusal;
  const said = description ? `${error}: ${description}` : error;
  if (error === 'invalid_grant')
    return `Google refused the sign-in code (${said}) — a code works once and for a few minutes: run \`baton auth google\` again`;
  return `Google refused to exchange the sign-in code (${said}) — run \`baton auth google\` again; if it keeps failing, check that the OAuth client is of type "Desktop app"`;
}

function short(scope: string): string {
  return scope.replace('https://www.googleapis.com/auth/', '');
}
