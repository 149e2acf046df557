// What a formula cell reads as: literal arithmetic and `&` are computed, anything else shows `#NAME?`.
//
// The emulator is not a spreadsheet engine. It computes just enough (`=1+2` → 3, `="a"&"b"` → ab) for a
// test to tell a formula from text; functions and cell references read as `#NAME?`, the error Sheets
// shows for a formula it cannot evaluate.

type Value = number | string;

class FormulaError extends Error {
  constructor(readonly display: string) {
    super(display);
  }
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|("(?:[^"]|"")*")|([-+*/&()]))/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m || TOKEN.lastIndex === start) throw new FormulaError('#NAME?');
    tokens.push(m[1] ?? m[2] ?? m[3]!);
  }
  return tokens;
}

function asNumber(v: Value): number {
  if (typeof v === 'number') return v;
  const n = Number(v);
  if (v.trim() === '' || Number.isNaN(n)) throw new FormulaError('#VALUE!');
  return n;
}

function format(v: Value): string {
  return typeof v === 'number' ? String(Number(v.toPrecision(15))) : v;
}

/** Recursive descent over: concat := sum ('&' sum)*; sum := product (('+'|'-') product)*; ... */
function parse(tokens: string[]): Value {
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const primary = (): Value => {
    const t = next();
    if (t === undefined) throw new FormulaError('#ERROR!');
    if (t === '(') {
      const v = concat();
      if (next() !== ')') throw new FormulaError('#ERROR!');
      return v;
    }
    if (t === '-') return -asNumber(primary());
    if (t === '+') return asNumber(primary());
    if (t.startsWith('"')) return t.slice(1, -1).replaceAll('""', '"');
    if (/^\d/.test(t)) return Number(t);
    throw new FormulaError('#ERROR!');
  };
  const product = (): Value => {
    let v = primary();
    while (peek() === '*' || peek() === '/') {
      const op = next();
      const rhs = asNumber(primary());
      if (op === '/' && rhs === 0) throw new FormulaError('#DIV/0!');
      v = op === '*' ? asNumber(v) * rhs : asNumber(v) / rhs;
    }
    return v;
  };
  const sum = (): Value => {
    let v = product();
    while (peek() === '+' || peek() === '-') {
      const op = next();
      const rhs = asNumber(product());
      v = op === '+' ? asNumber(v) + rhs : asNumber(v) - rhs;
    }
    return v;
  };
  const concat = (): Value => {
    let v = sum();
    while (peek() === '&') {
      next();
      v = format(v) + format(sum());
    }
    return v;
  };
  const value = concat();
  if (i !== tokens.length) throw new FormulaError('#ERROR!');
  return value;
}

/** The displayed value of a formula (`=...`), or the error text Sheets would show in the cell. */
export function evaluateFormula(formula: string): string {
  try {
    return format(parse(tokenize(formula.replace(/^=/, ''))));
  } catch (err) {
    if (err instanceof FormulaError) return err.display;
    throw err;
  }
}
