// Builds a value that conforms to a JSON Schema, filling fields from the prompt's facts by property name.
import type { Facts } from './facts.ts';
import { normalizeKey } from './facts.ts';
import { deref, isSchemaNode, numberKeyword, type SchemaNode, typesOf, validate } from './json-schema.ts';
import {
  DATA_KINDS,
  dataValue,
  type FieldKind,
  fieldKind,
  placeholderData,
  proseValue,
  SAMPLE_LABEL,
} from './prose.ts';
import { sampleRegex } from './regex-sample.ts';

interface Context {
  facts: Facts;
  root: SchemaNode;
  depth: number;
}

/** Past this depth (recursive schemas) arrays stay at their minimum length and nullable fields are null. */
const DEEP = 6;

/**
 * A value for `schema` built deterministically from `facts`: a field whose name matches a fact
 * (`Verdict: FAIL` for `verdict`) takes that fact when it fits the field's schema; other fields get
 * labelled prose or values derived from the facts (see README.md). The result validates against the
 * schema for the subset strict mode allows; for anything else it is a best effort.
 */
export function sampleFromSchema(schema: SchemaNode, facts: Facts): unknown {
  return sample(schema, { facts, root: schema, depth: 0 }, 'output');
}

function sample(schema: unknown, ctx: Context, name: string, index?: number): unknown {
  if (!isSchemaNode(schema)) return `${SAMPLE_LABEL} ${name}`;
  const node = deref(schema, ctx.root);
  if (!node) return null;
  const branches = alternatives(node);
  const nullable = branches.some(isNull);
  const options = branches.filter((b) => !isNull(b));
  for (const option of options) {
    const fromFact = factFor(deref(option, ctx.root) ?? option, ctx, name);
    if (fromFact !== undefined) return fromFact;
  }
  if (nullable && (options.length === 0 || preferNull(options, ctx, name))) return null;
  for (const option of options) {
    const value = sampleOne(option, ctx, name, index);
    if (validate(option, value, ctx.root).length === 0) return value;
  }
  if (nullable) return null;
  return options[0] ? sampleOne(options[0], ctx, name, index) : null;
}

/** The alternatives a node offers: its anyOf/oneOf branches, or one node per listed type. */
function alternatives(node: SchemaNode): SchemaNode[] {
  const union = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
  if (union) {
    const { anyOf: _a, oneOf: _o, ...rest } = node;
    return union.filter(isSchemaNode).map((branch) => ({ ...rest, ...branch }));
  }
  const types = typesOf(node);
  if (types && types.length > 1) return types.map((type) => ({ ...node, type }));
  return [node];
}

function isNull(node: SchemaNode): boolean {
  const types = typesOf(node);
  return types?.length === 1 && types[0] === 'null';
}

/** Null is the honest answer for data the prompt does not give (a website nobody mentioned). */
function preferNull(options: SchemaNode[], ctx: Context, name: string): boolean {
  if (ctx.depth > DEEP) return true;
  const first = deref(options[0]!, ctx.root) ?? options[0]!;
  if ((typesOf(first)?.[0] ?? 'string') !== 'string' || 'const' in first || Array.isArray(first.enum))
    return false;
  const kind = kindOf(first, ctx, name);
  return DATA_KINDS.has(kind) && dataValue(kind, ctx.facts) === undefined;
}

function kindOf(node: SchemaNode, ctx: Context, name: string): FieldKind {
  const resolved = deref(node, ctx.root) ?? node;
  const description = typeof resolved.description === 'string' ? resolved.description : undefined;
  if (resolved.format === 'email') return 'email';
  if (resolved.format === 'uri' || resolved.format === 'url') return 'website';
  return fieldKind(name, description);
}

function sampleOne(node: SchemaNode, ctx: Context, name: string, index?: number): unknown {
  const resolved = deref(node, ctx.root) ?? node;
  if ('const' in resolved) return resolved.const;
  if (Array.isArray(resolved.enum) && resolved.enum.length > 0) return resolved.enum[0];
  if (resolved.anyOf || resolved.oneOf || (typesOf(resolved)?.length ?? 0) > 1)
    return sample(resolved, ctx, name, index);
  const type =
    typesOf(resolved)?.[0] ?? (resolved.properties ? 'object' : resolved.items ? 'array' : 'string');
  const inner = { ...ctx, depth: ctx.depth + 1 };
  switch (type) {
    case 'object':
      return sampleObject(resolved, inner);
    case 'array':
      return sampleArray(resolved, inner, name);
    case 'number':
    case 'integer':
      return sampleNumber(resolved, ctx, name, type === 'integer');
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return sampleString(resolved, ctx, name, index);
  }
}

function sampleObject(node: SchemaNode, ctx: Context): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = isSchemaNode(node.properties) ? node.properties : {};
  for (const [key, field] of Object.entries(properties)) out[key] = sample(field, ctx, key);
  return out;
}

// Lists of problems stay empty when the schema allows it: the sample model finds nothing wrong.
const PROBLEM_LISTS = /issue|problem|error|violation|warning|concern|risk|flag|missing|objection/i;

function sampleArray(node: SchemaNode, ctx: Context, name: string): unknown[] {
  const min = numberKeyword(node, 'minItems') ?? 0;
  const max = numberKeyword(node, 'maxItems') ?? Number.POSITIVE_INFINITY;
  const wanted = ctx.depth > DEEP || PROBLEM_LISTS.test(name) ? 0 : 2;
  const count = Math.min(Math.max(wanted, min), max);
  return Array.from({ length: count }, (_, i) => sample(node.items, ctx, name, i));
}

// Scores are derived from how much the prompt said: 0 facts → halfway, each fact adds a tenth, up to 95 %.
const SCORES = /confidence|score|probability|certainty|likelihood|rating|quality|fit/i;

function sampleNumber(node: SchemaNode, ctx: Context, name: string, integer: boolean): number {
  const step = integer ? 1 : 0.01;
  const xmin = numberKeyword(node, 'exclusiveMinimum');
  const xmax = numberKeyword(node, 'exclusiveMaximum');
  let lo = numberKeyword(node, 'minimum') ?? (xmin === undefined ? undefined : xmin + step);
  let hi = numberKeyword(node, 'maximum') ?? (xmax === undefined ? undefined : xmax - step);
  let value: number;
  if (SCORES.test(name)) {
    const span = integer ? 100 : 1;
    if (lo === undefined && hi === undefined) lo = 0;
    lo ??= (hi as number) - span;
    hi ??= lo + span;
    value = lo + (hi - lo) * Math.min(0.95, 0.5 + 0.1 * ctx.facts.size);
  } else {
    value = Math.max(1, ctx.facts.size);
  }
  if (lo !== undefined) value = Math.max(value, lo);
  if (hi !== undefined) value = Math.min(value, hi);
  value = integer ? Math.round(value) : Math.round(value * 100) / 100;
  const multiple = numberKeyword(node, 'multipleOf');
  if (multiple && multiple > 0) value = Math.round(value / multiple) * multiple;
  if (lo !== undefined && value < lo) value = integer ? Math.ceil(lo) : lo;
  if (hi !== undefined && value > hi) value = integer ? Math.floor(hi) : hi;
  return value;
}

function sampleString(node: SchemaNode, ctx: Context, name: string, index?: number): string {
  const kind = kindOf(node, ctx, name);
  const candidates: string[] = [];
  const data = DATA_KINDS.has(kind) ? dataValue(kind, ctx.facts) : undefined;
  if (data !== undefined) candidates.push(kind === 'website' ? asUrl(data) : data);
  const formatted = formatValue(node.format, ctx, name);
  if (formatted !== undefined) candidates.push(formatted);
  const written = DATA_KINDS.has(kind) ? placeholderData(kind) : proseValue(kind, name, ctx.facts, index);
  candidates.push(fitLength(written, node));
  if (typeof node.pattern === 'string') {
    const fromPattern = sampleRegex(node.pattern);
    if (fromPattern !== undefined) candidates.push(fromPattern, fitLength(fromPattern, node));
  }
  return candidates.find((c) => validate(node, c, ctx.root).length === 0) ?? candidates.at(-1)!;
}

function formatValue(format: unknown, ctx: Context, name: string): string | undefined {
  switch (format) {
    case 'email':
      return 'sample@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/';
    case 'date-time':
      return '2026-01-05T09:00:00Z';
    case 'date':
      return '2026-01-05';
    case 'time':
      return '09:00:00';
    case 'uuid':
      return stableUuid(
        `${name}|${ctx.facts
          .all()
          .map((f) => `${f.key}=${f.value}`)
          .join('|')}`,
      );
    case 'hostname':
      return 'example.com';
    case 'ipv4':
      return '192.0.2.1';
    default:
      return undefined;
  }
}

/** Pads with a filler sentence or cuts (at a word when possible) to fit minLength/maxLength. */
function fitLength(text: string, node: SchemaNode): string {
  const min = numberKeyword(node, 'minLength') ?? 0;
  const max = numberKeyword(node, 'maxLength') ?? Number.POSITIVE_INFINITY;
  let chars = [...text];
  while (chars.length < min) chars = [...chars, ...' (sample text from the offline model)'];
  if (chars.length > max) {
    chars = chars.slice(0, max);
    const cut = chars.join('');
    const space = cut.lastIndexOf(' ');
    const trimmed = space > max / 2 ? cut.slice(0, space) : cut;
    chars = [...(trimmed.length >= min ? trimmed : cut)];
  }
  return chars.join('');
}

/** A fact whose label is the field's name, when it fits the field's schema (enum, number, boolean, text). */
function factFor(node: SchemaNode, ctx: Context, name: string): unknown {
  const raw = ctx.facts.get(name);
  if (raw === undefined) return undefined;
  const norm = normalizeKey(raw);
  const candidates: unknown[] = [];
  if (Array.isArray(node.enum)) candidates.push(...node.enum.filter((v) => normalizeKey(String(v)) === norm));
  const types = typesOf(node) ?? [];
  if (types.includes('number') || types.includes('integer')) candidates.push(Number(raw));
  if (types.includes('boolean')) {
    if (/^(true|yes|y|1)$/i.test(raw)) candidates.push(true);
    if (/^(false|no|n|0)$/i.test(raw)) candidates.push(false);
  }
  if (types.includes('string')) candidates.push(raw);
  return candidates.find((c) => validate(node, c, ctx.root).length === 0);
}

function asUrl(value: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value.replace(/^\/+/, '')}`;
}

/** A UUID-shaped string that depends only on `seed` (FNV-1a), so answers stay deterministic. */
function stableUuid(seed: string): string {
  let hex = '';
  for (let round = 0; hex.length < 32; round++) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
    hex += (h >>> 0).toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
