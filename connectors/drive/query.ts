// Builds Drive `q` strings with values quoted safely.

/** A string literal for `q`: single quotes with `\` and `'` escaped. */
export const quote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Files directly in a folder and not in the trash. */
export const inFolder = (folderId: string): string => `${quote(folderId)} in parents and trashed = false`;

/**
 * A clause matching any of `mimeTypes`: an entry ending in `/` (`video/`) is a prefix (`contains`),
 * anything else an exact type. Undefined when there are none (every type matches).
 */
export function mimeTypeClause(mimeTypes: readonly string[]): string | undefined {
  if (mimeTypes.length === 0) return undefined;
  const terms = mimeTypes.map((t) =>
    t.endsWith('/') ? `mimeType contains ${quote(t)}` : `mimeType = ${quote(t)}`,
  );
  return terms.length === 1 ? terms[0] : `(${terms.join(' or ')})`;
}

export const and = (...clauses: (string | undefined)[]): string => clauses.filter(Boolean).join(' and ');
