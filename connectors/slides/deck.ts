// makeDeck: a lead's own copy of the Slides template, its {{placeholders}} filled, exactly once.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AuthError, NotFoundError, ServiceError } from '../core/index.ts';
import type { DriveFile } from '../drive/index.ts';
import { DECK_SCOPES_FIX } from './failures.ts';
import { asData, occurrences, PLACEHOLDER_NAME, placeholder } from './placeholders.ts';
import type { MadeDeck, MakeDeckInput, Presentation } from './types.ts';

/** The Slides template is not there, or the sign-in cannot see it (not shared, or drive.file only). */
export class DeckTemplateNotFoundError extends NotFoundError {
  constructor(
    readonly templateId: string,
    setting: string,
    cause: unknown,
  ) {
    super(
      'slides',
      `Slides template ${templateId} not found or not shared with the Google account Baton uses`,
      {
        hint: `check ${setting} and share the file, or ${DECK_SCOPES_FIX}`,
        cause,
        status: 404,
      },
    );
  }
}

const Input = z.object({
  templateId: z.string().trim().min(1, 'templateId is empty'),
  name: z.string().trim().min(1, 'name is empty'),
  values: z.record(z.string(), z.string()),
  idempotencyKey: z.string().min(1, 'idempotencyKey is empty'),
});

/** Drive allows 124 bytes for an appProperty's key and value together: long keys are hashed. */
const MAX_KEY_BYTES = 100;
const storedKey = (key: string): string =>
  Buffer.byteLength(key) <= MAX_KEY_BYTES
    ? key
    : `sha256:${createHash('sha256').update(key).digest('base64url')}`;

export const deckUrl = (fileId: string): string => `https://docs.google.com/presentation/d/${fileId}/edit`;

/**
 * Copies the Slides template in Drive as `name` and fills its `{{placeholders}}` from `values` with
 * one replaceAllText batch. Exactly once across crashes and replays: the copy carries the
 * idempotency key in its appProperties and is looked up before copying, and filling twice changes
 * nothing (values are data: `asData` keeps them from spelling a placeholder). `replaced` and
 * `missing` are counted in the template, so a replay reports the same.
 * @throws DeckTemplateNotFoundError when the template is missing or out of the sign-in's reach;
 *   AuthError when the sign-in lacks the drive and presentations scopes; ServiceError for a template
 *   that is not a presentation, bad input, or a failure Baton could not retry past.
 */
export async function makeDeck(input: MakeDeckInput): Promise<MadeDeck> {
  const setting = input.templateSetting ?? 'LEADS_DECK_TEMPLATE_ID';
  const checked = Input.safeParse(input);
  if (!checked.success) {
    throw new ServiceError('slides', `makeDeck: ${z.prettifyError(checked.error).replace(/\n+/g, '; ')}`, {
      hint: 'fix the values the recipe passes',
    });
  }
  const { templateId, name } = checked.data;
  const badNames = Object.keys(checked.data.values).filter((k) => !PLACEHOLDER_NAME.test(k));
  if (badNames.length > 0) {
    throw new ServiceError(
      'slides',
      `makeDeck: placeholder names use letters, digits, _ . - (at most 64): ${badNames.map((k) => JSON.stringify(k.slice(0, 70))).join(', ')}`,
      { hint: "name the values as the template's {{placeholders}} are named" },
    );
  }
  const template = await guard(() => input.slides.presentation(templateId), templateId, setting);
  const fills = Object.entries(checked.data.values).map(([key, value]) => ({
    key,
    ...asData(value),
    count: occurrences(template.textBoxes, placeholder(key)),
  }));
  const copy: DriveFile & { created: boolean } = await guard(
    () =>
      input.drive.copy({
        fileId: templateId,
        name,
        idempotencyKey: storedKey(input.idempotencyKey),
        ...(input.folderId ? { folderId: input.folderId } : {}),
      }),
    templateId,
    setting,
  );
  const present = fills.filter((f) => f.count > 0);
  await input.slides.replaceAllText(
    copy.id,
    present.map((f) => ({ find: placeholder(f.key), replace: f.text })),
  );
  return {
    fileId: copy.id,
    url: deckUrl(copy.id),
    replaced: present.reduce((sum, f) => sum + f.count, 0),
    missing: fills.filter((f) => f.count === 0).map((f) => f.key),
    truncated: fills.filter((f) => f.truncated).map((f) => f.key),
    created: copy.created,
  };
}

/** Runs a call on the template, turning "not found" and "no scope" into the deck's own errors. */
async function guard<T extends Presentation | DriveFile>(
  call: () => Promise<T>,
  templateId: string,
  setting: string,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof NotFoundError) throw new DeckTemplateNotFoundError(templateId, setting, err);
    if (err instanceof AuthError && err.status === 403) {
      throw new AuthError(
        'slides',
        `The Google sign-in cannot copy and fill the Slides template ${templateId}`,
        {
          hint: DECK_SCOPES_FIX,
          status: 403,
          cause: err,
        },
      );
    }
    if (err instanceof ServiceError && err.service === 'slides' && err.status === 400) {
      throw new ServiceError('slides', `${setting} (${templateId}) is not a Google Slides presentation`, {
        hint: "use the id from the template's link: docs.google.com/presentation/d/<id>/edit",
        status: 400,
        cause: err,
      });
    }
    throw err;
  }
}
