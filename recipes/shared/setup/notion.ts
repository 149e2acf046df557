// A Notion database's properties: the missing ones and missing select options added in one data source
// update; a property of the wrong type is reported for a person to change, never altered.
import type { DataSourceInfo, NotionClient } from '../../../connectors/notion/index.ts';
import type { SetupStep } from './report.ts';

/** The property types Baton creates. */
export type NotionPropertyType = 'rich_text' | 'email' | 'number' | 'select' | 'url' | 'checkbox' | 'date';

export interface NotionPropertySpec {
  name: string;
  type: NotionPropertyType;
  /** select: the options Baton writes (added when missing; options already there are kept). */
  options?: readonly string[];
  /** Other types Baton can write this property as (default: only `type`). */
  accepts?: readonly string[];
}

type PropertyConfig = DataSourceInfo['properties'] extends Map<string, infer P> ? P : never;

/** Notion's own names for the types, as a person sees them in the property menu. */
const TYPE_NAMES: Record<string, string> = {
  title: 'Title',
  rich_text: 'Text',
  number: 'Number',
  select: 'Select',
  multi_select: 'Multi-select',
  status: 'Status',
  date: 'Date',
  url: 'URL',
  email: 'Email',
  checkbox: 'Checkbox',
  phone_number: 'Phone',
  people: 'Person',
  relation: 'Relation',
  formula: 'Formula',
};
export const notionTypeName = (type: string): string => TYPE_NAMES[type] ?? type;

/** `Tier (select: Hot, Nurture)`, `Score (number)`. */
export function describeProperty(spec: NotionPropertySpec): string {
  const options = spec.options?.length ? `: ${spec.options.join(', ')}` : '';
  return `${spec.name} (${notionTypeName(spec.type).toLowerCase()}${options})`;
}

export interface PropertiesPlan {
  /** The title property's name: whatever the database calls it. */
  title: string | undefined;
  existing: string[];
  missing: NotionPropertySpec[];
  /** Select properties and the options they lack. */
  missingOptions: { spec: NotionPropertySpec; property: PropertyConfig; options: string[] }[];
  /** Each says what a person must change. */
  problems: string[];
}

/** How `source` differs from `wanted`: read only. */
export function planNotionProperties(
  source: DataSourceInfo,
  wanted: readonly NotionPropertySpec[],
): PropertiesPlan {
  const properties = [...source.properties.values()];
  const plan: PropertiesPlan = {
    title: properties.find((p) => p.type === 'title')?.name,
    existing: [],
    missing: [],
    missingOptions: [],
    problems: [],
  };
  for (const spec of wanted) {
    const property = source.properties.get(spec.name);
    if (!property) {
      plan.missing.push(spec);
      continue;
    }
    const accepts = spec.accepts ?? [spec.type];
    if (!accepts.includes(property.type)) {
      plan.problems.push(wrongType(spec, property.type));
      continue;
    }
    plan.existing.push(spec.name);
    const have = property.type === 'select' ? (property.select?.options ?? []).map((o) => o.name) : undefined;
    const lacking = have ? (spec.options ?? []).filter((o) => !have.includes(o)) : [];
    if (lacking.length > 0) plan.missingOptions.push({ spec, property, options: lacking });
  }
  return plan;
}

function wrongType(spec: NotionPropertySpec, type: string): string {
  if (type === 'status' && spec.type === 'select') {
    return `'${spec.name}' is a Status property — the Notion API cannot add options to a Status property, so Baton needs a Select named '${spec.name}': change its type to Select in Notion, or rename it (e.g. '${spec.name} (old)') and let Baton create its own`;
  }
  return `'${spec.name}' is a ${notionTypeName(type)} property, Baton writes it as ${notionTypeName(spec.type)} — change its type to ${notionTypeName(spec.type)} in Notion, or rename it and let Baton create its own`;
}

/** The property schema object for a data source update. */
function configOf(spec: NotionPropertySpec): Record<string, unknown> {
  switch (spec.type) {
    case 'number':
      return { number: { format: 'number' } };
    case 'select':
      return { select: { options: (spec.options ?? []).map((name) => ({ name })) } };
    default:
      return { [spec.type]: {} };
  }
}

/**
 * Adds to the database (or data source) `ref` the properties of `wanted` it lacks, and the missing
 * options of its select properties, in one `PATCH /v1/data_sources/{id}` (none when nothing is
 * missing): running it again changes nothing. A select's existing options are sent back with the new
 * ones (Notion removes the options an update leaves out). A property of another type (a Status-type
 * `Status`) is reported, not changed: its values are the user's.
 * @throws NotFoundError / AuthError when the database is not shared with the integration or the token is refused
 */
export async function ensureNotionProperties(
  notion: NotionClient,
  ref: string,
  wanted: readonly NotionPropertySpec[],
  label = 'Notion database',
): Promise<SetupStep & { title: string | undefined }> {
  const source = await notion.dataSource(ref);
  const plan = planNotionProperties(source, wanted);
  const update: Record<string, unknown> = {};
  for (const spec of plan.missing) update[spec.name] = configOf(spec);
  for (const { property, options } of plan.missingOptions) {
    const kept = (property.select?.options ?? []).map((o) => ({ id: o.id, name: o.name }));
    update[property.name] = { select: { options: [...kept, ...options.map((name) => ({ name }))] } };
  }
  if (Object.keys(update).length > 0) await notion.updateProperties(source.id, update);
  const created = [
    ...plan.missing.map(describeProperty),
    ...plan.missingOptions.map(({ spec, options }) => `options ${options.join(', ')} to ${spec.name}`),
  ];
  return {
    label,
    ok: plan.problems.length === 0,
    created,
    existing: plan.existing,
    problems: plan.problems,
    noun: 'property',
    title: plan.title,
  };
}

/**
 * For `baton doctor`: the database has every property of `wanted` with a type Baton writes, and every
 * select option.
 * @throws Error with what to change (or to run `baton setup`)
 */
export async function checkNotionProperties(
  notion: NotionClient,
  ref: string,
  wanted: readonly NotionPropertySpec[],
): Promise<string> {
  const source = await notion.dataSource(ref);
  const plan = planNotionProperties(source, wanted);
  const fixable = [
    ...plan.missing.map((s) => `no property ${describeProperty(s)}`),
    ...plan.missingOptions.map(
      ({ spec, options }) => `'${spec.name}' lacks the options ${options.join(', ')}`,
    ),
  ];
  const problems = [...plan.problems];
  if (fixable.length > 0) problems.unshift(`${fixable.join('; ')} — run \`baton setup\` to add them`);
  if (problems.length > 0) throw new Error(`'${source.name}': ${problems.join('; ')}`);
  return `'${source.name}' has the properties ${[plan.title, ...plan.existing].filter(Boolean).join(', ')}`;
}
