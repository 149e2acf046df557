// presentations.batchUpdate: the Request union, checked as Google's front end does, and replaceAllText.
import { copyDeck, type Deck, newRevisionId, withFinalNewline } from './deck.ts';
import { invalidArgument, unknownField } from './errors.ts';

/** Every kind a Slides `Request` may hold (the oneof `kind`, from the v1 discovery document). */
const REQUEST_KINDS = new Set([
  'createImage',
  'createLine',
  'createParagraphBullets',
  'createShape',
  'createSheetsChart',
  'createSlide',
  'createTable',
  'createVideo',
  'deleteObject',
  'deleteParagraphBullets',
  'deleteTableColumn',
  'deleteTableRow',
  'deleteText',
  'duplicateObject',
  'groupObjects',
  'insertTableColumns',
  'insertTableRows',
  'insertText',
  'mergeTableCells',
  'refreshSheetsChart',
  'replaceAllShapesWithImage',
  'replaceAllShapesWithSheetsChart',
  'replaceAllText',
  'replaceImage',
  'rerouteLine',
  'ungroupObjects',
  'unmergeTableCells',
  'updateImageProperties',
  'updateLineCategory',
  'updateLineProperties',
  'updatePageElementAltText',
  'updatePageElementsZOrder',
  'updatePageElementTransform',
  'updatePageProperties',
  'updateParagraphStyle',
  'updateShapeProperties',
  'updateSlideProperties',
  'updateSlidesPosition',
  'updateTableBorderProperties',
  'updateTableCellProperties',
  'updateTableColumnProperties',
  'updateTableRowProperties',
  'updateTextStyle',
  'updateVideoProperties',
]);

const REPLACE_ALL_TEXT_FIELDS = new Set(['containsText', 'replaceText', 'pageObjectIds']);
const CRITERIA_FIELDS = new Set(['text', 'matchCase', 'searchByRegex']);

interface ReplaceAllText {
  pattern: RegExp;
  replaceText: string;
  pageObjectIds: string[] | undefined;
}

export interface BatchResult {
  deck: Deck;
  replies: Record<string, unknown>[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Applies `body.requests` in order to a copy of `deck`, all or nothing (batchUpdate is atomic): the
 * caller stores the returned deck only when no error was thrown.
 * @throws GoogleApiError 400 for an unknown request kind or field (Google's "Unknown name … Cannot find
 *   field"), an empty request, two kinds in one request, a bad replaceAllText, or a kind the emulator
 *   does not model, or a stale `writeControl.requiredRevisionId`.
 */
export function applyBatch(deck: Deck, body: unknown): BatchResult {
  if (!isObject(body)) throw invalidArgument('', 'Invalid JSON payload received.');
  for (const key of Object.keys(body)) {
    if (key !== 'requests' && key !== 'writeControl') throw unknownField(key, '');
  }
  const requests = body.requests;
  if (requests !== undefined && !Array.isArray(requests))
    throw invalidArgument('requests', "Invalid value at 'requests'");
  if (!requests || requests.length === 0)
    throw invalidArgument('requests', 'Must specify at least one request.');
  checkRevision(deck, body.writeControl);
  const parsed = requests.map((request, i) => parseRequest(request, i, deck));
  const next = copyDeck(deck);
  const replies = parsed.map((request) => {
    const changed = replaceAllText(next, request);
    // proto3 JSON leaves out a zero: a request that matched nothing answers `{"replaceAllText":{}}`.
    return { replaceAllText: changed > 0 ? { occurrencesChanged: changed } : {} };
  });
  const changedAny = replies.some((r) => Object.keys(r.replaceAllText).length > 0);
  next.revisionId = changedAny ? newRevisionId() : deck.revisionId;
  return { deck: next, replies };
}

function checkRevision(deck: Deck, writeControl: unknown): void {
  if (writeControl === undefined) return;
  if (!isObject(writeControl)) throw invalidArgument('write_control', "Invalid value at 'write_control'");
  const required = writeControl.requiredRevisionId;
  // [unconfirmed] wording.
  if (typeof required === 'string' && required !== deck.revisionId) {
    throw invalidArgument(
      'write_control.required_revision_id',
      'The revision ID specified in the write control does not match the current revision of the presentation.',
    );
  }
}

function parseRequest(request: unknown, i: number, deck: Deck): ReplaceAllText {
  const at = `requests[${i}]`;
  if (!isObject(request)) throw invalidArgument(at, `Invalid value at '${at}'`);
  const keys = Object.keys(request);
  for (const key of keys) if (!REQUEST_KINDS.has(key)) throw unknownField(key, at);
  if (keys.length === 0) throw invalidArgument(at, `Invalid ${at}: No request set.`);
  if (keys.length > 1) {
    throw invalidArgument(
      at,
      `Invalid value at '${at}' (oneof), oneof field 'kind' is already set. Cannot set '${keys[1]}'`,
    );
  }
  const kind = keys[0]!;
  if (kind !== 'replaceAllText') {
    throw invalidArgument(
      `${at}.${kind}`,
      `Invalid ${at}.${kind}: the Slides emulator models only replaceAllText requests.`,
    );
  }
  return parseReplaceAllText(request.replaceAllText, `${at}.replaceAllText`, deck);
}

function parseReplaceAllText(raw: unknown, at: string, deck: Deck): ReplaceAllText {
  if (!isObject(raw)) throw invalidArgument(at, `Invalid value at '${at}'`);
  for (const key of Object.keys(raw)) if (!REPLACE_ALL_TEXT_FIELDS.has(key)) throw unknownField(key, at);
  const criteria = raw.containsText;
  if (!isObject(criteria)) throw invalidArgument(at, `Invalid ${at}: containsText must be set.`);
  for (const key of Object.keys(criteria))
    if (!CRITERIA_FIELDS.has(key)) throw unknownField(key, `${at}.containsText`);
  const text = criteria.text;
  if (typeof text !== 'string' || text === '')
    throw invalidArgument(
      `${at}.containsText.text`,
      `Invalid ${at}: The text to search for must not be empty.`,
    );
  const replaceText = raw.replaceText ?? '';
  if (typeof replaceText !== 'string')
    throw invalidArgument(`${at}.replaceText`, `Invalid value at '${at}.replaceText'`);
  const flags = criteria.matchCase === true ? 'g' : 'gi';
  let pattern: RegExp;
  try {
    pattern = new RegExp(criteria.searchByRegex === true ? text : escapeRegExp(text), flags);
  } catch {
    throw invalidArgument(`${at}.containsText.text`, `Invalid ${at}: The regular expression is invalid.`);
  }
  const pages = raw.pageObjectIds;
  if (pages !== undefined && (!Array.isArray(pages) || pages.some((p) => typeof p !== 'string')))
    throw invalidArgument(`${at}.pageObjectIds`, `Invalid value at '${at}.page_object_ids'`);
  for (const page of (pages ?? []) as string[]) {
    if (!deck.slides.some((s) => s.objectId === page))
      throw invalidArgument(at, `Invalid ${at}: The object (${page}) could not be found.`);
  }
  return { pattern, replaceText, pageObjectIds: pages?.length ? (pages as string[]) : undefined };
}

/** Replaces every match in the shapes of the chosen slides (all by default); returns how many. */
function replaceAllText(deck: Deck, request: ReplaceAllText): number {
  let changed = 0;
  for (const slide of deck.slides) {
    if (request.pageObjectIds && !request.pageObjectIds.includes(slide.objectId)) continue;
    for (const shape of slide.shapes) {
      const text = shape.text.replace(request.pattern, (match) => {
        if (match === '') return match;
        changed++;
        return request.replaceText;
      });
      shape.text = withFinalNewline(text);
    }
  }
  return changed;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
