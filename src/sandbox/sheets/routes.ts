// Maps a Sheets v4 URL (`/v4/spreadsheets/{id}/values/{range}:append`, ...) to the method it names.

export type Route =
  | {
      method:
        | 'get'
        | 'batchUpdate'
        | 'values.batchGet'
        | 'values.batchUpdate'
        | 'values.batchClear'
        | 'values.batchGetByDataFilter'
        | 'values.batchUpdateByDataFilter'
        | 'developerMetadata.search';
      id: string;
    }
  | { method: 'developerMetadata.get'; id: string; metadataId: string }
  | { method: 'values.get' | 'values.update' | 'values.append' | 'values.clear'; id: string; range: string };

/** Methods that count against the read quota; everything else is a write. */
export const READ_METHODS = new Set<Route['method']>([
  'get',
  'values.get',
  'values.batchGet',
  // Reads are "any method that retrieves data, such as get or search" (developers.google.com/sheets/api/limits).
  'values.batchGetByDataFilter',
  'developerMetadata.search',
  'developerMetadata.get',
]);

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * The method for an HTTP verb and raw (still percent-encoded) path, or undefined for a URL the API
 * does not serve. Segments are split before decoding so a tab name holding `/` (sent as %2F) survives.
 */
export function matchRoute(verb: string, rawPath: string): Route | undefined {
  const [empty, version, collection, idPart, ...rest] = rawPath.split('/');
  if (empty !== '' || version !== 'v4' || collection !== 'spreadsheets' || !idPart) return undefined;
  const head = decode(idPart);
  if (head === undefined) return undefined;
  if (rest.length === 0) {
    if (verb === 'GET' && !head.includes(':')) return { method: 'get', id: head };
    if (verb === 'POST' && head.endsWith(':batchUpdate')) {
      return { method: 'batchUpdate', id: head.slice(0, -':batchUpdate'.length) };
    }
    return undefined;
  }
  const id = head;
  const [valuesPart, ...rangeParts] = rest;
  if (rangeParts.length === 0) {
    if (valuesPart === 'values:batchGet' && verb === 'GET') return { method: 'values.batchGet', id };
    if (valuesPart === 'values:batchUpdate' && verb === 'POST') return { method: 'values.batchUpdate', id };
    if (valuesPart === 'values:batchClear' && verb === 'POST') return { method: 'values.batchClear', id };
    if (valuesPart === 'values:batchGetByDataFilter' && verb === 'POST')
      return { method: 'values.batchGetByDataFilter', id };
    if (valuesPart === 'values:batchUpdateByDataFilter' && verb === 'POST')
      return { method: 'values.batchUpdateByDataFilter', id };
    if (valuesPart === 'developerMetadata:search' && verb === 'POST')
      return { method: 'developerMetadata.search', id };
    return undefined;
  }
  if (valuesPart === 'developerMetadata' && rangeParts.length === 1 && verb === 'GET') {
    const metadataId = decode(rangeParts[0]!);
    return metadataId ? { method: 'developerMetadata.get', id, metadataId } : undefined;
  }
  if (valuesPart !== 'values') return undefined;
  const range = decode(rangeParts.join('/'));
  if (range === undefined || range === '') return undefined;
  if (range.endsWith(':append')) {
    return verb === 'POST'
      ? { method: 'values.append', id, range: range.slice(0, -':append'.length) }
      : undefined;
  }
  if (range.endsWith(':clear')) {
    return verb === 'POST'
      ? { method: 'values.clear', id, range: range.slice(0, -':clear'.length) }
      : undefined;
  }
  if (verb === 'GET') return { method: 'values.get', id, range };
  if (verb === 'PUT') return { method: 'values.update', id, range };
  return undefined;
}
