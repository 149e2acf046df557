// Formula properties: a value derived from the page's other properties, shaped as Notion answers it.
import type { PropertySchema } from './schema.ts';
import type { PlainValue } from './values.ts';

/**
 * `{type, [type]: result}` as in a page object or property item (the SDK's FormulaPropertyResponse):
 * `string`, `number`, `boolean` or `date` (`{start, end, time_zone}`), each possibly null.
 */
export function formulaValue(p: PropertySchema, inputs: Record<string, PlainValue>): Record<string, unknown> {
  const result = p.formula?.result ?? 'string';
  const raw = p.formula ? p.formula.compute(inputs) : null;
  switch (result) {
    case 'string':
      return { type: 'string', string: raw === null ? null : String(raw) };
    case 'number':
      return { type: 'number', number: typeof raw === 'number' ? raw : null };
    case 'boolean':
      return { type: 'boolean', boolean: typeof raw === 'boolean' ? raw : null };
    case 'date': {
      const start = raw instanceof Date ? raw.toISOString() : typeof raw === 'string' ? raw : null;
      return { type: 'date', date: start === null ? null : { start, end: null, time_zone: null } };
    }
  }
}

/** The page's non-formula values by property name: what a formula reads. */
export function formulaInputs(
  schema: readonly PropertySchema[],
  plainOf: (p: PropertySchema) => PlainValue | undefined,
): Record<string, PlainValue> {
  const out: Record<string, PlainValue> = {};
  for (const p of schema) {
    if (p.type === 'formula') continue;
    const value = plainOf(p);
    if (value !== undefined) out[p.name] = value;
  }
  return out;
}

/** A formula's value as a person reads it in the app. */
export function plainFormula(p: PropertySchema, inputs: Record<string, PlainValue>): PlainValue {
  const value = formulaValue(p, inputs);
  const result = value[String(value.type)];
  if (result === null || result === undefined) return null;
  if (typeof result === 'object' && 'start' in result) return String(result.start);
  return result as PlainValue;
}
