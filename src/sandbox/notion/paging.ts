// Cursor paging as Notion does it: `start_cursor` names the first item, `page_size` at most 100.
import { invalid, tooLong } from './errors.ts';
import { normalizeId } from './ids.ts';

/**
 * One page of `items` after `startCursor` (an item id), at most `pageSize` (default and max 100).
 * @throws 400 validation_error for a page size over 100 or a cursor that names no item.
 */
export function paginate<T extends { id: string }>(
  items: T[],
  startCursor: unknown,
  pageSize: unknown,
  where: 'body' | 'query',
): { page: T[]; nextCursor: string | null } {
  const size = pageSize === undefined ? 100 : Number(pageSize);
  if (!Number.isInteger(size) || size < 1)
    throw invalid(
      `${where} failed validation: ${where}.page_size should be a positive integer, instead was \`${String(pageSize)}\`.`,
    );
  if (size > 100) throw tooLong(`${where}.page_size`, 100, size, where);
  let from = 0;
  if (startCursor !== undefined && startCursor !== null) {
    const id = typeof startCursor === 'string' ? normalizeId(startCursor) : undefined;
    from = id ? items.findIndex((i) => i.id === id) : -1;
    if (from < 0)
      throw invalid(
        `${where} failed validation: ${where}.start_cursor should be a valid cursor, instead was \`${String(startCursor)}\`.`,
      );
  }
  const page = items.slice(from, from + size);
  const next = items[from + size];
  return { page, nextCursor: next ? next.id : null };
}
