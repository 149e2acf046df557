// The business profile every recipe writes from: who signs, what we sell, how we sound.
import { existsSync, readFileSync } from 'node:fs';

export interface BusinessProfile {
  /** SENDER_NAME: the name emails are signed with (and the From name). */
  senderName: string;
  /** OFFER: one paragraph on what the business sells. */
  offer: string;
  /** BRAND_GUIDELINES: the voice every text is audited against (text, or a .md/.txt path). */
  guidelines: string;
}

export const DEFAULT_GUIDELINES = 'Friendly, concise, no hype. No claims we cannot back up.';

const set = (value: string | undefined) => (value && value.trim() !== '' ? value.trim() : undefined);

/**
 * The shared profile. The pitch's `PITCH_SENDER_NAME` / `PITCH_OFFER` are the fallback for the shared
 * names, so `.env` files written before the profile existed keep working.
 */
export function businessProfile(env: NodeJS.ProcessEnv): Partial<BusinessProfile> & { guidelines: string } {
  const senderName = set(env.SENDER_NAME) ?? set(env.PITCH_SENDER_NAME);
  const offer = set(env.OFFER) ?? set(env.PITCH_OFFER);
  return {
    ...(senderName ? { senderName } : {}),
    ...(offer ? { offer } : {}),
    guidelines: brandGuidelines(set(env.BRAND_GUIDELINES) ?? DEFAULT_GUIDELINES),
  };
}

/** What is missing from the profile, each naming the variable to set. */
export function profileProblems(env: NodeJS.ProcessEnv): string[] {
  const profile = businessProfile(env);
  return [
    ...(profile.senderName ? [] : ['SENDER_NAME is required — the name your emails are signed with']),
    ...(profile.offer ? [] : ['OFFER is required — one paragraph on what you sell']),
  ];
}

/** BRAND_GUIDELINES is text or the path of a file holding it. */
export function brandGuidelines(value: string): string {
  const looksLikePath = !value.includes('\n') && /\.(md|txt)$/i.test(value.trim());
  return looksLikePath && existsSync(value.trim()) ? readFileSync(value.trim(), 'utf8') : value;
}
