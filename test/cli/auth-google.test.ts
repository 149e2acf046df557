// `baton auth google`: the consent URL asks for exactly Baton's scopes, the loopback server catches
// Google's redirect, and the printed refresh token opens the user's sheet.
import { http, passthrough } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGoogleAuth, GOOGLE_SCOPES } from '../../connectors/google/index.ts';
import { SheetsClient } from '../../connectors/sheets/index.ts';
import { authGoogle } from '../../src/cli/commands/auth-google.ts';
import { ConfigProblems } from '../../src/cli/environment.ts';
import { createWorld, SANDBOX_CREDENTIALS } from '../../src/sandbox/world.ts';
import { useEmulators } from '../support/msw.ts';

const world = createWorld({ limits: 'relaxed' });
const server = useEmulators(world.handlers());
const client = {
  clientId: SANDBOX_CREDENTIALS.googleClientId,
  clientSecret: SANDBOX_CREDENTIALS.googleClientSecret,
};
const consent = {
  allow: (url: string, options: { untick?: string[] } = {}) =>
    world.auth.approveConsent(url, { email: SANDBOX_CREDENTIALS.mailbox, ...options }),
  deny: (url: string) => world.auth.denyConsent(url),
};
const env = { GOOGLE_CLIENT_ID: client.clientId, GOOGLE_CLIENT_SECRET: client.clientSecret };

beforeEach(() => {
  // The test plays the browser: its requests to the loopback server go to the real socket.
  server.use(http.get(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()));
});

/** Starts the command; resolves the consent URL it prints and, later, its outcome and output. */
function start(options: { env?: NodeJS.ProcessEnv } = {}) {
  const lines: string[] = [];
  let shown: (url: string) => void = () => undefined;
  const consentUrl = new Promise<string>((resolve) => {
    shown = resolve;
  });
  const outcome = authGoogle(
    options.env ?? env,
    { out: (text) => lines.push(...text.split('\n')) },
    {
      onConsentUrl: shown,
      timeoutMs: 20_000,
    },
  );
  outcome.catch(() => undefined);
  return { consentUrl, outcome, lines };
}

describe('baton auth google', () => {
  it('asks for offline access to exactly the scopes Baton needs, with PKCE, redirecting to 127.0.0.1', async () => {
    const flow = start();
    const url = new URL(await flow.consentUrl);
    const q = url.searchParams;
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(q.get('client_id')).toBe(client.clientId);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('access_type')).toBe('offline');
    expect(q.get('prompt')).toBe('consent');
    expect(q.get('scope')?.split(' ').sort()).toEqual(
      // The content recipe reads the videos in CONTENT_DRIVE_FOLDER_ID: Drive read-only.
      [GOOGLE_SCOPES.sheets, GOOGLE_SCOPES.gmail, GOOGLE_SCOPES.gmailRead, GOOGLE_SCOPES.drive].sort(),
    );
    expect(q.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('state')).toMatch(/^[0-9a-f]{32}$/);
    expect(flow.lines).toContain(`  ${url.href}`);
    await fetch(consent.deny(url.href));
    await expect(flow.outcome).rejects.toThrow();
  });

  it("asks only for the configured recipes' scopes: a leads deck adds drive and presentations", async () => {
    const flow = start({ env: { ...env, AIRTABLE_BASE_ID: 'appLeads', LEADS_DECK_TEMPLATE_ID: 'tmpl' } });
    const url = new URL(await flow.consentUrl);
    expect(url.searchParams.get('scope')?.split(' ').sort()).toEqual(
      [
        GOOGLE_SCOPES.gmail,
        GOOGLE_SCOPES.gmailRead,
        GOOGLE_SCOPES.driveFull,
        GOOGLE_SCOPES.presentations,
      ].sort(),
    );
    expect(flow.lines[0]).toBe(
      'Open this address in a browser on this computer and allow Baton access to Gmail, Google Drive and Google Slides:',
    );
    await fetch(consent.allow(url.href, { untick: [GOOGLE_SCOPES.presentations] }));
    expect(await flow.outcome).toBe(1);
    expect(flow.lines.join('\n')).toMatch(/✗ .*presentations missing/);
  });

  it('prints a refresh token that opens the sheet, once the user allows access', async () => {
    const flow = start();
    const consentUrl = await flow.consentUrl;
    const stray = await fetch(`${new URL(consentUrl).searchParams.get('redirect_uri')}/favicon.ico`);
    expect(stray.status).toBe(404);
    const page = await fetch(consent.allow(consentUrl));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('You can close this tab');
    expect(await flow.outcome).toBe(0);

    expect(flow.lines).toContain(`GOOGLE_CLIENT_ID=${client.clientId}`);
    expect(flow.lines.join('\n')).not.toContain(client.clientSecret);
    const refreshToken = flow.lines.find((l) => l.startsWith('GOOGLE_REFRESH_TOKEN='))?.split('=')[1] ?? '';
    expect(refreshToken).toMatch(/^1\/\/emu-/);
    const sheets = new SheetsClient({
      auth: createGoogleAuth({ kind: 'oauth', ...client, refreshToken }, []),
    });
    expect((await sheets.tab(world.spreadsheetId, 'Leads')).title).toBe('Leads');
  });

  it('fails with exit code 1 when the user unticks a scope Baton needs', async () => {
    const flow = start();
    await fetch(consent.allow(await flow.consentUrl, { untick: [GOOGLE_SCOPES.gmail] }));
    expect(await flow.outcome).toBe(1);
    expect(flow.lines.join('\n')).toMatch(/✗ .*gmail\.compose missing.*leave every box ticked/);
    expect(flow.lines.some((l) => l.startsWith('GOOGLE_REFRESH_TOKEN='))).toBe(false);
  });

  it('says to try again when the user declines', async () => {
    const flow = start();
    const page = await fetch(consent.deny(await flow.consentUrl));
    expect(await page.text()).toContain('did not get access');
    await expect(flow.outcome).rejects.toThrow(/Google sign-in ended with 'access_denied'.*choose Allow/);
  });

  it('says to start over when Google refuses the code (expired or used)', async () => {
    const flow = start();
    const redirect = new URL(consent.allow(await flow.consentUrl));
    redirect.searchParams.set('code', '4/already-used');
    await fetch(redirect);
    await expect(flow.outcome).rejects.toThrow(
      /Google refused the sign-in code \(invalid_grant.*run `baton auth google` again/,
    );
  });

  it("passes on Google's own words when the token endpoint refuses the exchange", async () => {
    const flow = start();
    const redirect = new URL(consent.allow(await flow.consentUrl));
    redirect.searchParams.set('code', '4/not-a-code-google-issued');
    await fetch(redirect);
    await expect(flow.outcome).rejects.toThrow(/Google refused .*\(invalid_grant/);
  });

  it('needs the OAuth client id and secret first', async () => {
    await expect(authGoogle({}, { out: () => undefined })).rejects.toBeInstanceOf(ConfigProblems);
    const refused = await authGoogle({ GOOGLE_CLIENT_ID: 'x' }, { out: () => undefined }).catch((e) => e);
    expect((refused as ConfigProblems).problems).toEqual([
      expect.stringMatching(
        /^GOOGLE_CLIENT_SECRET is required — create an OAuth client of type "Desktop app"/,
      ),
    ]);
  });
});
