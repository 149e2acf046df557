// The `q` search language of files.list, for the terms Baton uses; anything else is 400 "Invalid Value".
//
// Supported: `'<id>' in parents`, `mimeType = | != | contains '<s>'`, `name = | != | contains '<s>'`
// (contains matches word prefixes, as Drive does for names), `trashed = true|false`,
// `createdTime | modifiedTime <op> '<RFC 3339>'`, `appProperties has { key='<k>' and value='<v>' }`,
// combined with `and`, `or`, `not` and parentheses.
import { invalidValue } from './errors.ts';
import type { DriveFile } from './store.ts';

export type FilePredicate = (file: DriveFile) => boolean;

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'word'; value: string }
  | { kind: 'op'; value: string };

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      while (i < q.length && q[i] !== "'") {
        if (q[i] === '\\' && i + 1 < q.length) i++;
        value += q[i];
        i++;
      }
      if (i >= q.length) throw invalidValue('q');
      i++;
      tokens.push({ kind: 'string', value });
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(q.slice(i))![0];
      tokens.push({ kind: 'word', value: word });
      i += word.length;
    } else {
      const op = /^(!=|<=|>=|=|<|>|\(|\)|\{|\})/.exec(q.slice(i))?.[0];
      if (!op) throw invalidValue('q');
      tokens.push({ kind: 'op', value: op });
      i += op.length;
    }
  }
  return tokens;
}

/**
 * Compiles `q` into a predicate. `resolveParent` maps the id in `'<id>' in parents` (e.g. `root`).
 * @throws 400 Invalid Value (location q) for syntax or terms outside the supported subset.
 */
export function compileQuery(q: string, resolveParent: (id: string) => string): FilePredicate {
  const tokens = tokenize(q);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const t = tokens[pos++];
    if (!t) throw invalidValue('q');
    return t;
  };
  const isWord = (t: Token | undefined, word: string) => t?.kind === 'word' && t.value.toLowerCase() === word;
  const expect = (kind: Token['kind'], value?: string): Token => {
    const t = next();
    if (t.kind !== kind || (value !== undefined && t.value !== value)) throw invalidValue('q');
    return t;
  };
  const string = () => expect('string').value;

  function orExpr(): FilePredicate {
    const parts = [andExpr()];
    while (isWord(peek(), 'or')) {
      pos++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? parts[0]! : (f) => parts.some((p) => p(f));
  }
  function andExpr(): FilePredicate {
    const parts = [unary()];
    while (isWord(peek(), 'and')) {
      pos++;
      parts.push(unary());
    }
    return parts.length === 1 ? parts[0]! : (f) => parts.every((p) => p(f));
  }
  function unary(): FilePredicate {
    if (isWord(peek(), 'not')) {
      pos++;
      const inner = unary();
      return (f) => !inner(f);
    }
    const t = peek();
    if (t?.kind === 'op' && t.value === '(') {
      pos++;
      const inner = orExpr();
      expect('op', ')');
      return inner;
    }
    return term();
  }
  function term(): FilePredicate {
    const first = next();
    if (first.kind === 'string') {
      if (!isWord(next(), 'in') || !isWord(next(), 'parents')) throw invalidValue('q');
      const parent = resolveParent(first.value);
      return (f) => f.parents.includes(parent);
    }
    if (first.kind !== 'word') throw invalidValue('q');
    const field = first.value;
    if (field === 'mimeType' || field === 'name') return textTerm(field);
    if (field === 'trashed') {
      const op = expect('op').value;
      const value = next();
      if ((op !== '=' && op !== '!=') || !(isWord(value, 'true') || isWord(value, 'false')))
        throw invalidValue('q');
      const wanted = value.value.toLowerCase() === 'true';
      return (f) => (f.trashed === wanted) === (op === '=');
    }
    if (field === 'createdTime' || field === 'modifiedTime') {
      const op = expect('op').value;
      const at = rfc3339(string());
      const compare: Record<string, (a: number) => boolean> = {
        '=': (a) => a === at,
        '!=': (a) => a !== at,
        '<': (a) => a < at,
        '<=': (a) => a <= at,
        '>': (a) => a > at,
        '>=': (a) => a >= at,
      };
      const test = compare[op];
      if (!test) throw invalidValue('q');
      return (f) => test(field === 'createdTime' ? f.createdTime : f.modifiedTime);
    }
    if (field === 'appProperties') {
      if (!isWord(next(), 'has')) throw invalidValue('q');
      expect('op', '{');
      if (!isWord(next(), 'key')) throw invalidValue('q');
      expect('op', '=');
      const key = string();
      if (!isWord(next(), 'and') || !isWord(next(), 'value')) throw invalidValue('q');
      expect('op', '=');
      const value = string();
      expect('op', '}');
      return (f) => f.appProperties[key] === value;
    }
    throw invalidValue('q');
  }
  function textTerm(field: 'mimeType' | 'name'): FilePredicate {
    const op = next();
    const value = string();
    const read = (f: DriveFile) => (field === 'name' ? f.name : f.mimeType);
    if (op.kind === 'op' && op.value === '=') return (f) => read(f) === value;
    if (op.kind === 'op' && op.value === '!=') return (f) => read(f) !== value;
    if (!isWord(op, 'contains')) throw invalidValue('q');
    if (field === 'mimeType') return (f) => f.mimeType.includes(value);
    const prefix = value.toLowerCase();
    return (f) =>
      f.name.toLowerCase().startsWith(prefix) ||
      f.name
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .some((w) => w.startsWith(prefix));
  }

  const predicate = orExpr();
  if (pos !== tokens.length) throw invalidValue('q');
  return predicate;
}

/** An RFC 3339 date-time (UTC when it names no offset). @throws 400 Invalid Value. */
function rfc3339(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(value))
    throw invalidValue('q');
  const ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(ms)) throw invalidValue('q');
  return ms;
}
