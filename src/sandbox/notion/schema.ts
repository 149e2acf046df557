// A data source's property schema: what the person API defines and GET /v1/data_sources/{id} shows.
import { newId, newPropertyId } from './ids.ts';
import type { PlainValue } from './values.ts';

/** The property types the emulator stores, filters and sorts. */
export const PROPERTY_TYPES = [
  'title',
  'rich_text',
  'number',
  'select',
  'multi_select',
  'status',
  'date',
  'url',
  'email',
  'checkbox',
  'relation',
  'formula',
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export interface SelectOption {
  id: string;
  name: string;
  color: string;
  description: null;
}

/** The type of a formula's result, as a page's formula value names it. */
export type FormulaResult = 'string' | 'number' | 'boolean' | 'date';
/** What a formula computes from the page's other properties (by name, as plain values). */
export type FormulaCompute = (
  properties: Record<string, PlainValue>,
) => string | number | boolean | Date | null;

export interface PropertySchema {
  id: string;
  name: string;
  type: PropertyType;
  /** select, multi_select and status. */
  options?: SelectOption[];
  /** relation: the data source (and its database) the related pages live in. */
  relation?: { dataSourceId: string; databaseId: string };
  /** formula: its result type, the expression shown in the schema, and how the emulator derives it. */
  formula?: { result: FormulaResult; expression: string; compute: FormulaCompute };
}

/** How a test or the sandbox declares a property: a type, or a type with options / a relation target. */
export type PropertySpec =
  | PropertyType
  | { type: 'select' | 'multi_select' | 'status'; options: string[] }
  | { type: 'relation'; dataSourceId: string }
  /** Read-only; its value is derived from the page's other properties by `compute` (no expression language). */
  | { type: 'formula'; result: FormulaResult; compute: FormulaCompute; expression?: string };

const STATUS_DEFAULTS = ['Not started', 'In progress', 'Done'];
const COLORS = ['default', 'gray', 'brown', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'red'];

export const newOption = (name: string, index: number): SelectOption => ({
  id: newId(),
  name,
  color: COLORS[index % COLORS.length] ?? 'default',
  description: null,
});

/**
 * Builds a schema from specs. Exactly one title property is required, as in Notion.
 * @param databaseOf resolves a relation's data source to its database (throws when unknown).
 */
export function buildSchema(
  specs: Record<string, PropertySpec>,
  databaseOf: (dataSourceId: string) => string,
): PropertySchema[] {
  const schema = Object.entries(specs).map(([name, spec]): PropertySchema => {
    const type = typeof spec === 'string' ? spec : spec.type;
    if (
      !(PROPERTY_TYPES as readonly string[]).includes(type) ||
      (type === 'formula' && typeof spec !== 'object')
    ) {
      throw new Error(`Notion emulator: unsupported property type '${type}' for '${name}'`);
    }
    const property: PropertySchema = { id: type === 'title' ? 'title' : newPropertyId(), name, type };
    if (type === 'select' || type === 'multi_select' || type === 'status') {
      const names =
        typeof spec === 'object' && 'options' in spec
          ? spec.options
          : type === 'status'
            ? STATUS_DEFAULTS
            : [];
      property.options = names.map(newOption);
    }
    if (typeof spec === 'object' && spec.type === 'relation') {
      property.relation = { dataSourceId: spec.dataSourceId, databaseId: databaseOf(spec.dataSourceId) };
    }
    if (typeof spec === 'object' && spec.type === 'formula') {
      const { result, compute, expression = `emulated ${result} formula` } = spec;
      property.formula = { result, compute, expression };
    }
    return property;
  });
  if (schema.filter((p) => p.type === 'title').length !== 1) {
    throw new Error('Notion emulator: a data source needs exactly one title property');
  }
  return schema;
}

/** The property by name, or by id (filters and sorts may name either). */
export function findProperty(
  schema: readonly PropertySchema[],
  nameOrId: string,
): PropertySchema | undefined {
  return schema.find((p) => p.name === nameOrId) ?? schema.find((p) => p.id === nameOrId);
}

/** The schema as `properties` of a data source object. */
export function renderSchema(schema: readonly PropertySchema[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of schema) {
    out[p.name] = { id: p.id, name: p.name, description: null, type: p.type, [p.type]: renderConfig(p) };
  }
  return out;
}

function renderConfig(p: PropertySchema): unknown {
  switch (p.type) {
    case 'number':
      return { format: 'number' };
    case 'select':
    case 'multi_select':
      return { options: p.options ?? [] };
    case 'status':
      return {
        options: p.options ?? [],
        groups: [{ id: newId(), name: 'All', color: 'gray', option_ids: (p.options ?? []).map((o) => o.id) }],
      };
    case 'formula':
      return { expression: p.formula?.expression ?? '' };
    case 'relation':
      return {
        database_id: p.relation?.databaseId,
        data_source_id: p.relation?.dataSourceId,
        type: 'single_property',
        single_property: {},
      };
    default:
      return {};
  }
}
