// Google authentication shared by the Sheets, Gmail and Drive connectors.
export { createGoogleAuth, GOOGLE_SCOPES, type GoogleCredentials, readServiceAccountKey } from './auth.ts';
export { explainRefusal, GoogleSignInError, googleSignInError, oauthErrorOf } from './sign-in-error.ts';
