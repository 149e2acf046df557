// The LinkedIn endpoints Baton uses: userinfo, the Images API upload, the Posts API create/get/find.
import type { Clock } from '../../clock.ts';
import { readLittleText } from './little-text.ts';
import {
  type ImageRecord,
  type LinkedInState,
  newImageUrn,
  newShareUrn,
  newUploadSecret,
  type PostRecord,
  type TokenRecord,
} from './state.ts';
import { accessDenied, badRequest, dailyLimit, duplicatePost, fieldError, notFound } from './wire.ts';

export const LINKEDIN_API = 'https://api.linkedin.com';
export const LINKEDIN_UPLOADS = 'https://www.linkedin.com/dms-uploads';
/** LinkedIn's limit on a post's commentary, in characters. */
export const MAX_COMMENTARY = 3000;

export interface RouteContext {
  state: LinkedInState;
  clock: Clock;
  token: TokenRecord;
  version: string;
  limits: { postsPerDay: number; duplicateWindowMs: number; uploadUrlTtlMs: number };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const PERSON = /^urn:li:person:[A-Za-z0-9_-]+$/;
const ORGANIZATION = /^urn:li:organization:\d+$/;

/** Whether the token's member may act as `urn` with the write (or read) scope it needs. */
function mayActAs(ctx: RouteContext, urn: string, access: 'write' | 'read'): boolean {
  const member = ctx.state.members.get(ctx.token.sub);
  if (!member) return false;
  if (PERSON.test(urn)) {
    const scope = access === 'write' ? 'w_member_social' : 'r_member_social';
    return urn === member.urn && ctx.token.scopes.has(scope);
  }
  if (ORGANIZATION.test(urn)) {
    const scope = access === 'write' ? 'w_organization_social' : 'r_organization_social';
    return ctx.token.scopes.has(scope) && (ctx.state.organizations.get(urn)?.admins.has(member.sub) ?? false);
  }
  return false;
}

export function userinfo(ctx: RouteContext): Record<string, unknown> {
  if (!ctx.token.scopes.has('openid')) throw accessDenied('/v2/userinfo');
  const member = ctx.state.members.get(ctx.token.sub)!;
  const [given, ...family] = member.name.split(' ');
  return {
    sub: member.sub,
    name: member.name,
    given_name: given,
    family_name: family.join(' '),
    locale: { country: 'US', language: 'en' },
    email_verified: true,
  };
}

/** POST /rest/images?action=initializeUpload */
export function initializeUpload(ctx: RouteContext, body: unknown): Record<string, unknown> {
  const request = isObject(body) ? body.initializeUploadRequest : undefined;
  const owner = isObject(request) ? request.owner : undefined;
  if (typeof owner !== 'string')
    throw fieldError('/initializeUploadRequest/owner', 'FIELD_REQUIRED', 'field is required but not found');
  if (!PERSON.test(owner) && !ORGANIZATION.test(owner))
    throw fieldError(
      '/initializeUploadRequest/owner',
      'INVALID_VALUE',
      `${owner} is not a person or organization URN`,
    );
  if (!mayActAs(ctx, owner, 'write')) throw accessDenied(`images.initializeUpload.${owner}`);
  const urn = newImageUrn();
  const image: ImageRecord = {
    urn,
    owner,
    uploadPath: `/sp/v2/${encodeURIComponent(urn)}/uploaded-image/0`,
    uploadUrlExpiresAt: ctx.clock.now() + ctx.limits.uploadUrlTtlMs,
    status: 'WAITING_UPLOAD',
  };
  const secret = newUploadSecret();
  ctx.state.images.set(urn, image);
  return {
    value: {
      uploadUrlExpiresAt: image.uploadUrlExpiresAt,
      uploadUrl: `${LINKEDIN_UPLOADS}${image.uploadPath}?ca=vector_feedshare&cn=uploads&m=${secret}`,
      image: urn,
    },
  };
}

/** The PUT of the image bytes to the upload URL. */
export function uploadImage(ctx: RouteContext, path: string, bytes: Uint8Array, type: string): void {
  const image = [...ctx.state.images.values()].find((i) => i.uploadPath === path);
  if (image?.status !== 'WAITING_UPLOAD') throw notFound('upload URL');
  if (ctx.clock.now() > image.uploadUrlExpiresAt) throw badRequest('The upload URL has expired', 403);
  if (!mayActAs(ctx, image.owner, 'write')) throw accessDenied('upload');
  image.bytes = bytes;
  image.mediaType = type;
  // LinkedIn processes the upload after the PUT; bytes that are no image fail that processing.
  image.status = imageKind(bytes) ? 'AVAILABLE' : 'PROCESSING_FAILED';
}

function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | 'gif' | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'gif';
  return undefined;
}

export function getImage(ctx: RouteContext, urn: string): Record<string, unknown> {
  const image = ctx.state.images.get(urn);
  if (!image || !mayActAs(ctx, image.owner, 'write')) throw notFound(urn);
  return {
    id: image.urn,
    owner: image.owner,
    status: image.status,
    ...(image.status === 'AVAILABLE'
      ? { downloadUrl: `https://media.licdn.com/dms/image/${image.urn}` }
      : {}),
  };
}

/** POST /rest/posts: the created post's URN (for `x-restli-id`). */
export function createPost(ctx: RouteContext, body: unknown): string {
  if (!isObject(body)) throw badRequest('Body must be a JSON object');
  const author = body.author;
  if (typeof author !== 'string')
    throw fieldError('/author', 'FIELD_REQUIRED', 'field is required but not found');
  if (!PERSON.test(author) && !ORGANIZATION.test(author))
    throw fieldError('/author', 'INVALID_VALUE', `${author} is not a person or organization URN`);
  const commentary = body.commentary;
  if (commentary !== undefined && typeof commentary !== 'string')
    throw fieldError('/commentary', 'INVALID_VALUE', 'must be a string');
  if (typeof commentary === 'string' && commentary.length > MAX_COMMENTARY)
    throw fieldError('/commentary', 'INVALID_VALUE', `length must be at most ${MAX_COMMENTARY}`);
  const visibility = body.visibility;
  if (visibility === undefined)
    throw fieldError('/visibility', 'FIELD_REQUIRED', 'field is required but not found');
  if (!['PUBLIC', 'CONNECTIONS', 'LOGGED_IN', 'CONTAINER'].includes(String(visibility)))
    throw fieldError('/visibility', 'INVALID_VALUE', `${String(visibility)} is not a visibility`);
  const distribution = body.distribution;
  if (!isObject(distribution))
    throw fieldError('/distribution', 'FIELD_REQUIRED', 'field is required but not found');
  if (!['MAIN_FEED', 'NONE'].includes(String(distribution.feedDistribution)))
    throw fieldError('/distribution/feedDistribution', 'FIELD_REQUIRED', 'field is required but not found');
  for (const list of ['targetEntities', 'thirdPartyDistributionChannels'] as const) {
    if (distribution[list] !== undefined && !Array.isArray(distribution[list]))
      throw fieldError(`/distribution/${list}`, 'INVALID_VALUE', 'must be an array');
  }
  const lifecycleState = body.lifecycleState;
  if (lifecycleState === undefined)
    throw fieldError('/lifecycleState', 'FIELD_REQUIRED', 'field is required but not found');
  if (!['PUBLISHED', 'DRAFT'].includes(String(lifecycleState)))
    throw fieldError(
      '/lifecycleState',
      'INVALID_VALUE',
      `${String(lifecycleState)} is not a lifecycle state`,
    );
  if (!mayActAs(ctx, author, 'write')) throw accessDenied(`partnerApiPostsExternal.CREATE.${ctx.version}01`);
  const imageUrn = mediaOf(ctx, body.content, author);

  const now = ctx.clock.now();
  const text = readLittleText(typeof commentary === 'string' ? commentary : '');
  const duplicate = [...ctx.state.posts.values()].find(
    (p) =>
      p.author === author &&
      p.commentary === text.raw &&
      text.raw.trim() !== '' &&
      now - p.createdAt < ctx.limits.duplicateWindowMs,
  );
  if (duplicate) throw duplicatePost(duplicate.urn);
  const dayStart = now - (now % 86_400_000);
  const today = [...ctx.state.posts.values()].filter(
    (p) => p.createdBy === ctx.token.sub && p.createdAt >= dayStart,
  ).length;
  if (today >= ctx.limits.postsPerDay) throw dailyLimit();

  const post: PostRecord = {
    urn: newShareUrn(),
    author,
    commentary: text.raw,
    shown: text.shown,
    cut: text.cut,
    visibility: String(visibility),
    distribution,
    lifecycleState: String(lifecycleState),
    ...(imageUrn ? { imageUrn } : {}),
    createdAt: now,
    createdBy: ctx.token.sub,
  };
  ctx.state.posts.set(post.urn, post);
  return post.urn;
}

function mediaOf(ctx: RouteContext, content: unknown, author: string): string | undefined {
  if (content === undefined) return undefined;
  const media = isObject(content) ? content.media : undefined;
  const id = isObject(media) ? media.id : undefined;
  if (typeof id !== 'string')
    throw fieldError('/content/media/id', 'FIELD_REQUIRED', 'field is required but not found');
  const image = ctx.state.images.get(id);
  if (!image || image.owner !== author)
    throw fieldError('/content/media/id', 'INVALID_VALUE', `${id} is not an image uploaded by ${author}`);
  if (image.status !== 'AVAILABLE')
    throw fieldError('/content/media/id', 'INVALID_VALUE', `${id} is not available (status ${image.status})`);
  return id;
}

export function renderPost(post: PostRecord): Record<string, unknown> {
  return {
    id: post.urn,
    author: post.author,
    commentary: post.commentary,
    visibility: post.visibility,
    distribution: post.distribution,
    lifecycleState: post.lifecycleState,
    ...(post.imageUrn ? { content: { media: { id: post.imageUrn } } } : {}),
    isReshareDisabledByAuthor: false,
    lifecycleStateInfo: { isEditedByAuthor: false },
    createdAt: post.createdAt,
    publishedAt: post.createdAt,
    lastModifiedAt: post.createdAt,
  };
}

export function getPost(ctx: RouteContext, urn: string): Record<string, unknown> {
  const post = ctx.state.posts.get(urn);
  if (!post) throw notFound(urn);
  if (!mayActAs(ctx, post.author, 'read') && !mayActAs(ctx, post.author, 'write'))
    throw accessDenied(`partnerApiPostsExternal.GET.${ctx.version}01`);
  return renderPost(post);
}

/** GET /rest/posts?q=author&author=…: newest first; needs the read scope (r_member_social is restricted). */
export function findPostsByAuthor(ctx: RouteContext, params: URLSearchParams): Record<string, unknown> {
  const author = params.get('author');
  if (!author) throw badRequest('author is required for q=author');
  if (!mayActAs(ctx, author, 'read'))
    throw accessDenied(`partnerApiPostsExternal.FINDER-author.${ctx.version}01`);
  const start = Math.max(0, Number(params.get('start') ?? 0) || 0);
  const count = Math.min(100, Math.max(1, Number(params.get('count') ?? 10) || 10));
  const all = [...ctx.state.posts.values()]
    .filter((p) => p.author === author)
    .sort((a, b) => b.createdAt - a.createdAt);
  return {
    paging: { start, count, links: [], total: all.length },
    elements: all.slice(start, start + count).map(renderPost),
  };
}
