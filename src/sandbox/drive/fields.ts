// The `fields` parameter (partial responses): `nextPageToken, files(id, name)`, `files/id`, `*`.
import { invalidField } from './errors.ts';

/** Field name → nested selection, or true for the whole value. */
export type Selection = Map<string, Selection | true>;

/**
 * Parses a fields expression.
 * @throws 400 "Invalid field selection" when it does not parse.
 */
export function parseFields(expression: string): Selection {
  let pos = 0;
  const s = expression.replace(/\s+/g, '');
  const fail = () => invalidField(s.slice(pos) || s);
  function list(): Selection {
    const selection: Selection = new Map();
    do {
      selector(selection);
    } while (s[pos] === ',' && ++pos);
    return selection;
  }
  function selector(into: Selection): void {
    const name = /^(\*|[A-Za-z_][A-Za-z0-9_]*)/.exec(s.slice(pos))?.[0];
    if (!name) throw fail();
    pos += name.length;
    if (s[pos] === '/') {
      pos++;
      const inner = into.get(name);
      const nested: Selection = inner instanceof Map ? inner : new Map();
      selector(nested);
      if (inner !== true) into.set(name, nested);
    } else if (s[pos] === '(') {
      pos++;
      const nested = list();
      if (s[pos] !== ')') throw fail();
      pos++;
      into.set(name, nested);
    } else {
      into.set(name, true);
    }
  }
  const selection = list();
  if (pos !== s.length) throw fail();
  return selection;
}

/**
 * The parts of `value` that `selection` names. `known` lists the fields each level may name (by
 * path, e.g. '' for the top and 'files' for each file); naming another field is a 400.
 */
export function applyFields(
  value: Record<string, unknown>,
  selection: Selection,
  known: Record<string, readonly string[]>,
  path = '',
): Record<string, unknown> {
  if (selection.has('*')) return value;
  const allowed = known[path];
  const out: Record<string, unknown> = {};
  for (const [name, nested] of selection) {
    if (allowed && !allowed.includes(name)) throw invalidField(path ? `${path}/${name}` : name);
    if (!(name in value)) continue;
    const field = value[name];
    if (nested === true || typeof field !== 'object' || field === null) {
      out[name] = field;
    } else if (Array.isArray(field)) {
      const childPath = path ? `${path}/${name}` : name;
      out[name] = field.map((item) =>
        typeof item === 'object' && item !== null
          ? applyFields(item as Record<string, unknown>, nested, known, childPath)
          : item,
      );
    } else {
      out[name] = applyFields(
        field as Record<string, unknown>,
        nested,
        known,
        path ? `${path}/${name}` : name,
      );
    }
  }
  return out;
}
