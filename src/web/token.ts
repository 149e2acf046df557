// The dashboard token: compared in constant time, and the session cookie derived from it (the cookie
// never holds the token itself, and changing the token signs everyone out).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'baton_session';

/** Whether `given` equals `expected`, in time that does not depend on where they differ. */
export function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the length of the secret leaks nothing either.
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The session cookie's value for this token. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('baton dashboard session v1').digest('base64url');
}
