// Evaluates a parsed formula against one record, with Airtable's loose comparisons and blank handling.
import { formulaValue, parseDate } from './fields.ts';
import type { BinaryOp, Formula, Node } from './formula.ts';
import type { StoredRecord, Table } from './state.ts';

export type Value = string | number | boolean | Date | null;

interface Scope {
  table: Table;
  record: StoredRecord;
  now: number;
}

/** Thrown inside evaluation for `#ERROR!` results: the record simply does not match. */
class FormulaError extends Error {}

/** True when the formula's result for this record is truthy; a formula error counts as false. */
export function matches(formula: Formula, table: Table, record: StoredRecord, now: number): boolean {
  try {
    return truthy(evaluate(formula.root, { table, record, now }));
  } catch (err) {
    if (err instanceof FormulaError) return false;
    throw err;
  }
}

export function truthy(v: Value): boolean {
  if (v === null) return false;
  if (v instanceof Date) return !Number.isNaN(v.getTime());
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v !== '';
  return v;
}

function evaluate(node: Node, scope: Scope): Value {
  switch (node.kind) {
    case 'string':
    case 'number':
      return node.value;
    case 'field': {
      const field = scope.table.field(node.name);
      if (!field) throw new FormulaError();
      return formulaValue(field, scope.record.cells.get(field.id));
    }
    case 'unary':
      return -toNumber(evaluate(node.arg, scope));
    case 'binary':
      return binary(node.op, evaluate(node.left, scope), evaluate(node.right, scope));
    case 'call':
      return call(node.name, node.args, scope);
  }
}

function binary(op: BinaryOp, a: Value, b: Value): Value {
  switch (op) {
    case '=':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '&':
      return toText(a) + toText(b);
    case '+':
      return toNumber(a) + toNumber(b);
    case '-':
      return toNumber(a) - toNumber(b);
    case '*':
      return toNumber(a) * toNumber(b);
    case '/': {
      const d = toNumber(b);
      if (d === 0) throw new FormulaError();
      return toNumber(a) / d;
    }
    default: {
      const c = compare(a, b);
      if (op === '<') return c < 0;
      if (op === '>') return c > 0;
      if (op === '<=') return c <= 0;
      return c >= 0;
    }
  }
}

function isBlank(v: Value): boolean {
  return v === null || v === '' || v === false || v === 0;
}

function equal(a: Value, b: Value): boolean {
  if (a === null || b === null) return isBlank(a) && isBlank(b);
  if (a instanceof Date || b instanceof Date) {
    const x = toTime(a);
    const y = toTime(b);
    return x !== undefined && x === y;
  }
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  if (typeof a === 'string' || typeof b === 'string') {
    const text = (typeof a === 'string' ? a : b) as string;
    const other = typeof a === 'string' ? b : a;
    if (text.trim() === '') return isBlank(other);
    return Number(text) === toNumber(other);
  }
  return toNumber(a) === toNumber(b);
}

function compare(a: Value, b: Value): number {
  if (a instanceof Date || b instanceof Date) {
    const x = toTime(a);
    const y = toTime(b);
    if (x === undefined || y === undefined) throw new FormulaError();
    return x - y;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return toNumber(a) - toNumber(b);
}

function toNumber(v: Value): number {
  if (v === null || v === '') return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  const n = Number(v);
  if (Number.isNaN(n)) throw new FormulaError();
  return n;
}

function toText(v: Value): string {
  if (v === null) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

function toTime(v: Value): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') return parseDate(v);
  if (typeof v === 'number') return v;
  return undefined;
}

function toDate(v: Value): Date {
  const ms = toTime(v);
  if (ms === undefined || Number.isNaN(ms)) throw new FormulaError();
  return new Date(ms);
}

const UNIT_MS: Record<string, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 7 * 86_400_000,
};

function call(name: string, args: Node[], scope: Scope): Value {
  const arg = (i: number) => evaluate(args[i]!, scope);
  switch (name) {
    case 'AND':
      return args.every((_, i) => truthy(arg(i)));
    case 'OR':
      return args.some((_, i) => truthy(arg(i)));
    case 'NOT':
      return !truthy(arg(0));
    case 'IF':
      return truthy(arg(0)) ? arg(1) : args.length > 2 ? arg(2) : null;
    case 'BLANK':
      return null;
    case 'TRUE':
      return true;
    case 'FALSE':
      return false;
    case 'IS_AFTER':
      return toDate(arg(0)).getTime() > toDate(arg(1)).getTime();
    case 'IS_BEFORE':
      return toDate(arg(0)).getTime() < toDate(arg(1)).getTime();
    case 'IS_SAME':
      return toDate(arg(0)).getTime() === toDate(arg(1)).getTime();
    case 'LAST_MODIFIED_TIME':
      return lastModified(args, scope);
    case 'CREATED_TIME':
      return new Date(scope.record.createdTime);
    case 'RECORD_ID':
      return scope.record.id;
    case 'NOW':
      return new Date(scope.now);
    case 'TODAY':
      return new Date(new Date(scope.now).toISOString().slice(0, 10));
    case 'DATETIME_PARSE':
      return toDate(arg(0));
    case 'DATEADD': {
      const unit = UNIT_MS[toText(arg(2)).toLowerCase()];
      if (unit === undefined) throw new FormulaError();
      return new Date(toDate(arg(0)).getTime() + toNumber(arg(1)) * unit);
    }
    case 'LOWER':
      return toText(arg(0)).toLowerCase();
    case 'UPPER':
      return toText(arg(0)).toUpperCase();
    case 'TRIM':
      return toText(arg(0)).trim();
    case 'LEN':
      return toText(arg(0)).length;
    case 'FIND': {
      const start = args.length > 2 ? Math.max(0, toNumber(arg(2)) - 1) : 0;
      return toText(arg(1)).indexOf(toText(arg(0)), start) + 1;
    }
    default:
      throw new FormulaError();
  }
}

/** The last time any (or the named) field of the record was written; its creation when none was. */
function lastModified(args: Node[], scope: Scope): Date {
  const { record, table } = scope;
  let ids: string[];
  if (args.length === 0) {
    ids = [...record.modified.keys()];
  } else {
    ids = args.map((a) => {
      const field = a.kind === 'field' ? table.field(a.name) : undefined;
      if (!field) throw new FormulaError();
      return field.id;
    });
  }
  const times = ids.map((id) => record.modified.get(id)).filter((t): t is number => t !== undefined);
  return new Date(times.length > 0 ? Math.max(...times) : record.createdTime);
}
