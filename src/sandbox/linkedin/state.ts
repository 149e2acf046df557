// What the LinkedIn emulator remembers: members and their tokens, organizations, images and posts.
import { randomBytes, randomInt } from 'node:crypto';

export interface MemberRecord {
  sub: string;
  name: string;
  urn: string;
}

export interface TokenRecord {
  token: string;
  sub: string;
  scopes: Set<string>;
  expiresAt: number;
  revoked: boolean;
}

export interface ImageRecord {
  urn: string;
  owner: string;
  uploadPath: string;
  uploadUrlExpiresAt: number;
  status: 'WAITING_UPLOAD' | 'AVAILABLE' | 'PROCESSING_FAILED';
  bytes?: Uint8Array;
  mediaType?: string;
}

export interface PostRecord {
  urn: string;
  author: string;
  /** The little text LinkedIn kept (cut at the first unescaped reserved character). */
  commentary: string;
  /** What readers see: `commentary` with its escapes removed. */
  shown: string;
  /** True when LinkedIn silently dropped the end of the text sent. */
  cut: boolean;
  visibility: string;
  distribution: Record<string, unknown>;
  lifecycleState: string;
  imageUrn?: string;
  createdAt: number;
  /** Which member's token created it (counts toward that member's daily limit). */
  createdBy: string;
}

const DIGITS = '0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const pick = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

export const newShareUrn = (): string => `urn:li:share:7${pick(DIGITS, 18)}`;
export const newImageUrn = (): string => `urn:li:image:D4E${pick(ALNUM, 19)}`;
export const newSub = (): string => pick(ALNUM, 10);
export const newUploadSecret = (): string => randomBytes(18).toString('base64url');

export class LinkedInState {
  readonly members = new Map<string, MemberRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  /** Organization URN → admin member subs. */
  readonly organizations = new Map<string, { name: string; admins: Set<string> }>();
  readonly images = new Map<string, ImageRecord>();
  readonly posts = new Map<string, PostRecord>();
}
