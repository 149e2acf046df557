// Parses the subset of Airtable's formula language the emulator evaluates in filterByFormula and views.
import { invalidFormula } from './errors.ts';

export type Node =
  | { kind: 'field'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'unary'; op: '-'; arg: Node }
  | { kind: 'binary'; op: BinaryOp; left: Node; right: Node };

export type BinaryOp = '=' | '!=' | '<' | '>' | '<=' | '>=' | '&' | '+' | '-' | '*' | '/';

/** A parsed formula and the field names it refers to. */
export interface Formula {
  source: string;
  root: Node;
  fields: string[];
}

/** Functions the emulator evaluates, with their argument counts [min, max]. */
export const FUNCTIONS: Record<string, [number, number]> = {
  AND: [1, 255],
  OR: [1, 255],
  NOT: [1, 1],
  IF: [2, 3],
  BLANK: [0, 0],
  TRUE: [0, 0],
  FALSE: [0, 0],
  IS_AFTER: [2, 2],
  IS_BEFORE: [2, 2],
  IS_SAME: [2, 3],
  LAST_MODIFIED_TIME: [0, 255],
  CREATED_TIME: [0, 0],
  RECORD_ID: [0, 0],
  NOW: [0, 0],
  TODAY: [0, 0],
  DATETIME_PARSE: [1, 3],
  DATEADD: [3, 3],
  LOWER: [1, 1],
  UPPER: [1, 1],
  TRIM: [1, 1],
  LEN: [1, 1],
  FIND: [2, 3],
};

type Token =
  | { t: 'field'; v: string }
  | { t: 'ident'; v: string }
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'op'; v: string }
  | { t: 'end' };

const OPERATORS = ['!=', '<>', '<=', '>=', '=', '<', '>', '&', '+', '-', '*', '/', '(', ')', ','];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '{') {
      const end = source.indexOf('}', i + 1);
      if (end < 0) throw invalidFormula();
      tokens.push({ t: 'field', v: source.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) {
        if (source[j] === '\\' && j + 1 < source.length) j++;
        value += source[j];
      }
      if (j >= source.length) throw invalidFormula();
      tokens.push({ t: 'string', v: value });
      i = j + 1;
    } else if (/[0-9.]/.test(c)) {
      const m = /^\d*\.?\d+(?:[eE][+-]?\d+)?/.exec(source.slice(i));
      if (!m) throw invalidFormula();
      tokens.push({ t: 'number', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      tokens.push({ t: 'ident', v: m[0] });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) throw invalidFormula();
      tokens.push({ t: 'op', v: op === '<>' ? '!=' : op });
      i += op.length;
    }
  }
  tokens.push({ t: 'end' });
  return tokens;
}

/**
 * Parses a formula. Precedence, lowest first: comparisons, `&`, `+ -`, `* /`, unary minus.
 * @throws 422 INVALID_FILTER_BY_FORMULA for a syntax error or a function the emulator does not know
 */
export function parseFormula(source: string): Formula {
  const tokens = tokenize(source);
  const fields = new Set<string>();
  let pos = 0;
  const peek = () => tokens[pos]!;
  const isOp = (...ops: string[]) => {
    const tok = peek();
    return tok.t === 'op' && ops.includes(tok.v);
  };
  const expect = (op: string) => {
    if (!isOp(op)) throw invalidFormula();
    pos++;
  };
  const binary = (next: () => Node, ops: string[]) => (): Node => {
    let left = next();
    while (isOp(...ops)) {
      const op = (tokens[pos++] as { v: string }).v as BinaryOp;
      left = { kind: 'binary', op, left, right: next() };
    }
    return left;
  };
  const primary = (): Node => {
    const tok = tokens[pos++]!;
    switch (tok.t) {
      case 'field':
        fields.add(tok.v);
        return { kind: 'field', name: tok.v };
      case 'string':
        return { kind: 'string', value: tok.v };
      case 'number':
        return { kind: 'number', value: tok.v };
      case 'ident': {
        if (!isOp('(')) {
          fields.add(tok.v);
          return { kind: 'field', name: tok.v };
        }
        pos++;
        const name = tok.v.toUpperCase();
        const args: Node[] = [];
        if (!isOp(')')) {
          args.push(comparison());
          while (isOp(',')) {
            pos++;
            args.push(comparison());
          }
        }
        expect(')');
        const arity = FUNCTIONS[name];
        if (!arity || args.length < arity[0] || args.length > arity[1]) throw invalidFormula();
        return { kind: 'call', name, args };
      }
      case 'op':
        if (tok.v === '(') {
          const inner = comparison();
          expect(')');
          return inner;
        }
        if (tok.v === '-') return { kind: 'unary', op: '-', arg: primary() };
        throw invalidFormula();
      default:
        throw invalidFormula();
    }
  };
  const product = binary(primary, ['*', '/']);
  const sum = binary(product, ['+', '-']);
  const concat = binary(sum, ['&']);
  const comparison = binary(concat, ['=', '!=', '<', '>', '<=', '>=']);
  const root = comparison();
  if (peek().t !== 'end') throw invalidFormula();
  return { source, root, fields: [...fields] };
}
