// Google's consent screen and the token endpoint's `authorization_code` grant, which the shared
// GoogleAuthEmulator does not have yet: a stand-in for `baton auth google` tests. Codes it issues are
// single-use and bound to the client, redirect URI and PKCE challenge; a successful exchange registers
// the new refresh token with the world's GoogleAuthEmulator, so the token then works everywhere.
import { createHash, randomBytes } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import type { GoogleAuthEmulator } from '../../src/sandbox/google/auth.ts';
import { GOOGLE_TOKEN_URL } from '../../src/sandbox/google/auth.ts';

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scopes: string[];
}

export class ConsentScreen {
  readonly #codes = new Map<string, IssuedCode>();

  constructor(
    private readonly auth: GoogleAuthEmulator,
    private readonly client: { clientId: string; clientSecret: string },
    private readonly mailbox: string,
  ) {}

  /** The user clicks Allow (optionally unticking scopes): the URL Google sends the browser to. */
  allow(consentUrl: string, options: { untick?: string[] } = {}): string {
    const url = new URL(consentUrl);
    const q = url.searchParams;
    const scopes = (q.get('scope') ?? '').split(' ').filter((s) => s && !options.untick?.includes(s));
    const code = `4/emu-${randomBytes(12).toString('hex')}`;
    this.#codes.set(code, {
      clientId: q.get('client_id') ?? '',
      redirectUri: q.get('redirect_uri') ?? '',
      challenge: q.get('code_challenge') ?? '',
      scopes,
    });
    return `${q.get('redirect_uri')}?state=${q.get('state')}&code=${encodeURIComponent(code)}&scope=${encodeURIComponent(scopes.join(' '))}`;
  }

  /** The user clicks Cancel. */
  deny(consentUrl: string): string {
    const q = new URL(consentUrl).searchParams;
    return `${q.get('redirect_uri')}?error=access_denied&state=${q.get('state')}`;
  }

  handlers() {
    return [
      http.post(GOOGLE_TOKEN_URL, async ({ request }) => {
        const form = new URLSearchParams(await request.clone().text());
        if (form.get('grant_type') !== 'authorization_code') return undefined; // the emulator answers
        if (
          form.get('client_id') !== this.client.clientId ||
          form.get('client_secret') !== this.client.clientSecret
        )
          return oauthError(401, 'invalid_client', 'Unauthorized');
        const code = form.get('code') ?? '';
        const issued = this.#codes.get(code);
        this.#codes.delete(code);
        if (!issued || issued.clientId !== this.client.clientId)
          return oauthError(400, 'invalid_grant', 'Malformed auth code.');
        if (form.get('redirect_uri') !== issued.redirectUri)
          return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== issued.challenge)
          return oauthError(400, 'invalid_grant', 'Invalid code verifier.');
        const refreshToken = `1//emu-${randomBytes(16).toString('hex')}`;
        this.auth.registerRefreshToken({
          ...this.client,
          refreshToken,
          email: this.mailbox,
          scopes: issued.scopes,
        });
        return HttpResponse.json({
          access_token: this.auth.issue({ email: this.mailbox, scopes: issued.scopes }),
          expires_in: 3599,
          refresh_token: refreshToken,
          scope: issued.scopes.join(' '),
          token_type: 'Bearer',
        });
      }),
    ];
  }
}

function oauthError(status: number, error: string, description: string): Response {
  return HttpResponse.json({ error, error_description: description }, { status });
}
