// The rules strict structured outputs impose on a schema; breaking one is a 400 from the API.
import { isSchemaNode, resolveRef, type SchemaNode, typesOf } from './json-schema.ts';

/** Where a schema breaks strict mode (`context` is the keyword path) and how. */
export interface StrictSchemaProblem {
  context: string[];
  problem: string;
}

/** Keywords strict mode rejects (anyOf is the only combinator it takes). */
const NOT_PERMITTED = [
  'allOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  'propertyNames',
  'dependentRequired',
  'dependentSchemas',
  'prefixItems',
  'contains',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'unevaluatedProperties',
];

const MAX_NESTING = 10;

/**
 * The first way `schema` breaks OpenAI's strict-mode rules, or undefined when it follows them: the
 * root is a non-union object; every object lists all its properties in `required` and sets
 * `additionalProperties: false`; no unsupported keyword; every `$ref` resolves; at most 10 levels.
 */
export function strictSchemaProblem(schema: unknown): StrictSchemaProblem | undefined {
  if (!isSchemaNode(schema)) return { context: [], problem: 'schema must be a JSON Schema object' };
  const rootTypes = typesOf(schema);
  if (schema.anyOf !== undefined || !rootTypes?.includes('object') || rootTypes.length > 1) {
    return {
      context: [],
      problem: 'schema must be a JSON Schema of \'type: "object"\', got a different type',
    };
  }
  return visit(schema, schema, [], 0);
}

function visit(
  node: SchemaNode,
  root: SchemaNode,
  context: string[],
  depth: number,
): StrictSchemaProblem | undefined {
  if (depth > MAX_NESTING) return { context, problem: `schema exceeds ${MAX_NESTING} levels of nesting` };
  for (const keyword of NOT_PERMITTED) {
    if (keyword in node) return { context, problem: `'${keyword}' is not permitted` };
  }
  if (typeof node.$ref === 'string' && !resolveRef(node.$ref, root)) {
    return { context, problem: `reference '${node.$ref}' can't be resolved` };
  }
  if (typesOf(node)?.includes('object')) {
    const properties = isSchemaNode(node.properties) ? node.properties : {};
    if (node.additionalProperties !== false) {
      return { context, problem: "'additionalProperties' is required to be supplied and to be false" };
    }
    const required = Array.isArray(node.required) ? node.required : [];
    const missing = Object.keys(properties).filter((key) => !required.includes(key));
    if (missing.length > 0) {
      return {
        context,
        problem: `'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'`,
      };
    }
  }
  for (const [path, child] of children(node)) {
    const nested = path[0] === 'properties' || path[0] === 'items' ? depth + 1 : depth;
    const found = visit(child, root, [...context, ...path], nested);
    if (found) return found;
  }
  return undefined;
}

function children(node: SchemaNode): [string[], SchemaNode][] {
  const out: [string[], SchemaNode][] = [];
  for (const map of ['properties', '$defs', 'definitions']) {
    const entries = node[map];
    if (!isSchemaNode(entries)) continue;
    for (const [key, child] of Object.entries(entries))
      if (isSchemaNode(child)) out.push([[map, key], child]);
  }
  if (isSchemaNode(node.items)) out.push([['items'], node.items]);
  if (Array.isArray(node.anyOf)) {
    node.anyOf.forEach((child, i) => {
      if (isSchemaNode(child)) out.push([['anyOf', String(i)], child]);
    });
  }
  return out;
}
