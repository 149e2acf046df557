// Emulates Google's OAuth token endpoint: refresh-token and service-account (JWT bearer) grants.
import { createHash, createVerify, randomBytes } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import { type Clock, systemClock } from '../../clock.ts';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** Who an access token speaks for: the mailbox owner, or a service account (maybe impersonating). */
export interface GooglePrincipal {
  email: string;
  scopes: string[];
  /** A service account acting as this user through domain-wide delegation. */
  impersonating?: string;
}

interface IssuedToken {
  principal: GooglePrincipal;
  expiresAt: number;
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * An OAuth app's publishing status. Google expires the refresh tokens it issues to an app in
 * "Testing" (external user type) after 7 days; the refresh then fails with `invalid_grant` "Token
 * has been expired or revoked." (developers.google.com/identity/protocols/oauth2#expiration; the
 * Google Ads API's common-errors page gives the same cause and fix: publish the app).
 */
export type PublishingStatus = 'testing' | 'in production';
const TESTING_TOKEN_LIFETIME_MS = 7 * 24 * 3_600_000;

interface RefreshGrant {
  clientId: string;
  email: string;
  scopes: string[];
  /** When Google stops honouring it (tokens issued while the app was in Testing), if ever. */
  expiresAt?: number;
}

/**
 * Holds the OAuth clients, refresh tokens and service-account keys a test registers, and the access
 * tokens it issued. The Sheets, Gmail and Drive emulators ask it who a Bearer token belongs to.
 */
export class GoogleAuthEmulator {
  readonly #clients = new Map<string, string>();
  readonly #publishing = new Map<string, PublishingStatus>();
  readonly #refreshTokens = new Map<string, RefreshGrant>();
  readonly #serviceAccounts = new Map<string, { publicKeyPem: string; delegation: boolean }>();
  readonly #tokens = new Map<string, IssuedToken>();
  /** Authorization codes from the consent screen: single use, bound to client, redirect and PKCE. */
  readonly #codes = new Map<
    string,
    {
      clientId: string;
      redirectUri: string;
      challenge: string;
      scopes: string[];
      email: string;
      expiresAt: number;
    }
  >();
  tokenRequests = 0;

  constructor(private readonly clock: Clock = systemClock) {}

  /**
   * An installed-app OAuth client and a refresh token a user granted it (now, or at `issuedAt`).
   * `publishing` sets the app's status (kept until changed; default 'in production'): a token
   * issued while it is 'testing' expires 7 days after it was issued.
   */
  registerRefreshToken(opts: {
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    email: string;
    scopes?: string[];
    publishing?: PublishingStatus;
    issuedAt?: number;
  }): void {
    this.#clients.set(opts.clientId, opts.clientSecret);
    if (opts.publishing) this.#publishing.set(opts.clientId, opts.publishing);
    const grant = this.#grant(opts.clientId, opts.email, opts.scopes ?? [], opts.issuedAt);
    this.#refreshTokens.set(opts.refreshToken, grant);
  }

  /**
   * The developer publishes the app (or moves it back to Testing). Tokens already issued keep the
   * lifetime they were issued with: after publishing, the user signs in again for a lasting token.
   */
  setPublishingStatus(clientId: string, status: PublishingStatus): void {
    this.#publishing.set(clientId, status);
  }

  #grant(clientId: string, email: string, scopes: string[], issuedAt = this.clock.now()): RefreshGrant {
    const testing = this.#publishing.get(clientId) === 'testing';
    return {
      clientId,
      email,
      scopes,
      ...(testing ? { expiresAt: issuedAt + TESTING_TOKEN_LIFETIME_MS } : {}),
    };
  }

  /** A service account whose JWTs are checked against `publicKeyPem`. */
  registerServiceAccount(email: string, publicKeyPem: string, options: { delegation?: boolean } = {}): void {
    this.#serviceAccounts.set(email, { publicKeyPem, delegation: options.delegation ?? false });
  }

  /** Revokes every token and refresh token for `email` (what a user removing access does). */
  revoke(email: string): void {
    for (const [token, issued] of this.#tokens)
      if (issued.principal.email === email) this.#tokens.delete(token);
    for (const [rt, grant] of this.#refreshTokens) if (grant.email === email) this.#refreshTokens.delete(rt);
  }

  /**
   * The user clicks Allow on Google's consent screen for `consentUrl` (optionally unticking scopes):
   * returns the loopback URL the browser is sent to, carrying a code valid for 10 minutes.
   */
  approveConsent(consentUrl: string, options: { email: string; untick?: string[] }): string {
    const q = new URL(consentUrl).searchParams;
    const scopes = (q.get('scope') ?? '').split(' ').filter((s) => s && !options.untick?.includes(s));
    const code = `4/emu-${randomBytes(12).toString('hex')}`;
    this.#codes.set(code, {
      clientId: q.get('client_id') ?? '',
      redirectUri: q.get('redirect_uri') ?? '',
      challenge: q.get('code_challenge') ?? '',
      scopes,
      email: options.email,
      expiresAt: this.clock.now() + 10 * 60_000,
    });
    const back = new URL(q.get('redirect_uri') ?? '');
    back.searchParams.set('state', q.get('state') ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('scope', scopes.join(' '));
    return back.href;
  }

  /** The user clicks Cancel on the consent screen. */
  denyConsent(consentUrl: string): string {
    const q = new URL(consentUrl).searchParams;
    const back = new URL(q.get('redirect_uri') ?? '');
    back.searchParams.set('error', 'access_denied');
    back.searchParams.set('state', q.get('state') ?? '');
    return back.href;
  }

  /** Issues a token directly, for emulator tests that do not exercise the grant. */
  issue(principal: GooglePrincipal): string {
    const token = `ya29.emu-${randomBytes(12).toString('hex')}`;
    this.#tokens.set(token, { principal, expiresAt: this.clock.now() + 3599_000 });
    return token;
  }

  /** The principal behind an `Authorization: Bearer` header, or undefined if missing, unknown or expired. */
  verify(request: Request): GooglePrincipal | undefined {
    const header = request.headers.get('authorization') ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    const issued = match ? this.#tokens.get(match[1]!) : undefined;
    if (!issued || issued.expiresAt <= this.clock.now()) return undefined;
    return issued.principal;
  }

  handlers() {
    return [
      http.post(GOOGLE_TOKEN_URL, async ({ request }) => {
        this.tokenRequests++;
        const form = new URLSearchParams(await request.text());
        const grant = form.get('grant_type');
        if (grant === 'refresh_token') return this.#refreshGrant(form);
        if (grant === JWT_GRANT) return this.#jwtGrant(form.get('assertion') ?? '');
        if (grant === 'authorization_code') return this.#codeGrant(form);
        return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grant ?? ''}`);
      }),
    ];
  }

  #refreshGrant(form: URLSearchParams): Response {
    const clientId = form.get('client_id') ?? '';
    const secret = this.#clients.get(clientId);
    if (secret === undefined || secret !== form.get('client_secret')) {
      return oauthError(401, 'invalid_client', 'Unauthorized');
    }
    const grant = this.#refreshTokens.get(form.get('refresh_token') ?? '');
    const expired = grant?.expiresAt !== undefined && grant.expiresAt <= this.clock.now();
    if (!grant || grant.clientId !== clientId || expired) {
      return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    }
    return this.#tokenResponse({ email: grant.email, scopes: grant.scopes });
  }

  #codeGrant(form: URLSearchParams): Response {
    const clientId = form.get('client_id') ?? '';
    const secret = this.#clients.get(clientId);
    if (secret === undefined || secret !== form.get('client_secret')) {
      return oauthError(401, 'invalid_client', 'Unauthorized');
    }
    const code = form.get('code') ?? '';
    const issued = this.#codes.get(code);
    this.#codes.delete(code);
    if (!issued || issued.clientId !== clientId || issued.expiresAt <= this.clock.now()) {
      return oauthError(400, 'invalid_grant', 'Malformed auth code.');
    }
    if (form.get('redirect_uri') !== issued.redirectUri)
      return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
    const verifier = form.get('code_verifier') ?? '';
    if (issued.challenge && createHash('sha256').update(verifier).digest('base64url') !== issued.challenge) {
      return oauthError(400, 'invalid_grant', 'Invalid code verifier.');
    }
    const refreshToken = `1//emu-${randomBytes(16).toString('hex')}`;
    this.#refreshTokens.set(refreshToken, this.#grant(clientId, issued.email, issued.scopes));
    const principal = { email: issued.email, scopes: issued.scopes };
    return HttpResponse.json({
      access_token: this.issue(principal),
      expires_in: 3599,
      refresh_token: refreshToken,
      scope: issued.scopes.join(' '),
      token_type: 'Bearer',
    });
  }

  #jwtGrant(assertion: string): Response {
    const [header, payload, signature] = assertion.split('.');
    if (!header || !payload || !signature)
      return oauthError(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token');
    let claims: { iss?: string; aud?: string; exp?: number; iat?: number; scope?: string; sub?: string };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
    }
    const account = claims.iss ? this.#serviceAccounts.get(claims.iss) : undefined;
    if (!account) return oauthError(400, 'invalid_grant', 'Invalid grant: account not found');
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(account.publicKeyPem, Buffer.from(signature, 'base64url'))) {
      return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
    }
    const nowSec = Math.floor(this.clock.now() / 1000);
    if (claims.aud !== GOOGLE_TOKEN_URL) return oauthError(400, 'invalid_grant', 'Invalid JWT: audience');
    if (!claims.exp || claims.exp < nowSec - 300) {
      return oauthError(
        400,
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
      );
    }
    if (claims.sub && claims.sub !== claims.iss && !account.delegation) {
      return oauthError(
        401,
        'unauthorized_client',
        'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
      );
    }
    const scopes = (claims.scope ?? '').split(' ').filter(Boolean);
    const impersonating = claims.sub && claims.sub !== claims.iss ? claims.sub : undefined;
    return this.#tokenResponse({
      email: impersonating ?? claims.iss!,
      scopes,
      ...(impersonating ? { impersonating } : {}),
    });
  }

  #tokenResponse(principal: GooglePrincipal): Response {
    const token = this.issue(principal);
    return HttpResponse.json({
      access_token: token,
      expires_in: 3599,
      scope: principal.scopes.join(' '),
      token_type: 'Bearer',
    });
  }
}

function oauthError(status: number, error: string, description: string): Response {
  return HttpResponse.json({ error, error_description: description }, { status });
}
