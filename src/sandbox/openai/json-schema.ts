// The JSON Schema subset structured outputs use: reference lookup and a validator for it.

/** A JSON Schema node as received on the wire (booleans are valid schemas too). */
export type SchemaNode = Record<string, unknown>;

export function isSchemaNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves a local `$ref` (`#`, `#/$defs/X`, `#/definitions/X`, any JSON pointer); undefined if absent. */
export function resolveRef(ref: string, root: SchemaNode): SchemaNode | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isSchemaNode(node)) return undefined;
    node = node[token];
  }
  return isSchemaNode(node) ? node : undefined;
}

/** Follows `$ref` chains to the schema they name (a bounded number of hops). */
export function deref(schema: SchemaNode, root: SchemaNode): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (let hops = 0; node && typeof node.$ref === 'string' && hops < 20; hops++) {
    node = resolveRef(node.$ref, root);
  }
  return node;
}

/** The `type` keyword as a list (undefined when absent). */
export function typesOf(schema: SchemaNode): string[] | undefined {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return undefined;
}

export function numberKeyword(schema: SchemaNode, key: string): number | undefined {
  const v = schema[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

const FORMATS: Record<string, (s: string) => boolean> = {
  email: (s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s),
  uri: (s) => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s),
  url: (s) => URL.canParse(s),
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s),
  time: (s) => /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(s),
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  hostname: (s) =>
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(s),
  ipv4: (s) => /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/.test(s),
};

/** Compiles a schema `pattern` the way JSON Schema reads it (ECMA-262, unicode when possible). */
export function compilePattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

/**
 * Every way `value` breaks `schema` (empty when it conforms), as `path: problem` lines.
 * Covers the strict structured-output subset: type, enum, const, properties/required/
 * additionalProperties, items/minItems/maxItems, string length/pattern/format, number bounds,
 * anyOf/oneOf/allOf and local `$ref`s. Unknown keywords are ignored, as JSON Schema does.
 */
export function validate(schema: unknown, value: unknown, root?: SchemaNode, path = '$'): string[] {
  if (schema === true || schema === undefined) return [];
  if (schema === false) return [`${path}: no value is allowed here`];
  if (!isSchemaNode(schema)) return [];
  const top = root ?? schema;
  const node = deref(schema, top);
  if (!node) return [`${path}: unresolvable reference ${String(schema.$ref)}`];
  const errors: string[] = [];
  const types = typesOf(node);
  if (types && !types.some((t) => hasType(value, t))) {
    return [`${path}: expected ${types.join(' or ')}, got ${describeType(value)}`];
  }
  if (Array.isArray(node.enum) && !node.enum.some((v) => sameJson(v, value))) {
    errors.push(`${path}: must be one of ${JSON.stringify(node.enum)}`);
  }
  if ('const' in node && !sameJson(node.const, value)) {
    errors.push(`${path}: must equal ${JSON.stringify(node.const)}`);
  }
  if (Array.isArray(node.anyOf) && !node.anyOf.some((b) => validate(b, value, top, path).length === 0)) {
    errors.push(`${path}: matches none of the anyOf alternatives`);
  }
  if (
    Array.isArray(node.oneOf) &&
    node.oneOf.filter((b) => validate(b, value, top, path).length === 0).length !== 1
  ) {
    errors.push(`${path}: must match exactly one oneOf alternative`);
  }
  if (Array.isArray(node.allOf)) for (const b of node.allOf) errors.push(...validate(b, value, top, path));
  if (typeof value === 'string') errors.push(...stringErrors(node, value, path));
  if (typeof value === 'number') errors.push(...numberErrors(node, value, path));
  if (Array.isArray(value)) errors.push(...arrayErrors(node, value, top, path));
  else if (isSchemaNode(value)) errors.push(...objectErrors(node, value, top, path));
  return errors;
}

function stringErrors(node: SchemaNode, value: string, path: string): string[] {
  const errors: string[] = [];
  const length = [...value].length;
  const min = numberKeyword(node, 'minLength');
  const max = numberKeyword(node, 'maxLength');
  if (min !== undefined && length < min) errors.push(`${path}: shorter than ${min} characters`);
  if (max !== undefined && length > max) errors.push(`${path}: longer than ${max} characters`);
  if (typeof node.pattern === 'string' && !compilePattern(node.pattern)?.test(value)) {
    errors.push(`${path}: does not match pattern ${node.pattern}`);
  }
  const check = typeof node.format === 'string' ? FORMATS[node.format] : undefined;
  if (check && !check(value)) errors.push(`${path}: not a valid ${String(node.format)}`);
  return errors;
}

function numberErrors(node: SchemaNode, value: number, path: string): string[] {
  const errors: string[] = [];
  const min = numberKeyword(node, 'minimum');
  const max = numberKeyword(node, 'maximum');
  const xmin = numberKeyword(node, 'exclusiveMinimum');
  const xmax = numberKeyword(node, 'exclusiveMaximum');
  const step = numberKeyword(node, 'multipleOf');
  if (min !== undefined && value < min) errors.push(`${path}: less than ${min}`);
  if (max !== undefined && value > max) errors.push(`${path}: greater than ${max}`);
  if (xmin !== undefined && value <= xmin) errors.push(`${path}: not greater than ${xmin}`);
  if (xmax !== undefined && value >= xmax) errors.push(`${path}: not less than ${xmax}`);
  if (step !== undefined && step > 0 && Math.abs(value / step - Math.round(value / step)) > 1e-9) {
    errors.push(`${path}: not a multiple of ${step}`);
  }
  return errors;
}

function arrayErrors(node: SchemaNode, value: unknown[], root: SchemaNode, path: string): string[] {
  const errors: string[] = [];
  const min = numberKeyword(node, 'minItems');
  const max = numberKeyword(node, 'maxItems');
  if (min !== undefined && value.length < min) errors.push(`${path}: fewer than ${min} items`);
  if (max !== undefined && value.length > max) errors.push(`${path}: more than ${max} items`);
  if (node.items !== undefined && !Array.isArray(node.items)) {
    value.forEach((item, i) => {
      errors.push(...validate(node.items, item, root, `${path}[${i}]`));
    });
  }
  return errors;
}

function objectErrors(node: SchemaNode, value: SchemaNode, root: SchemaNode, path: string): string[] {
  const errors: string[] = [];
  const properties = isSchemaNode(node.properties) ? node.properties : {};
  if (Array.isArray(node.required)) {
    for (const key of node.required) {
      if (typeof key === 'string' && !(key in value))
        errors.push(`${path}: missing required property '${key}'`);
    }
  }
  for (const [key, field] of Object.entries(value)) {
    if (key in properties) errors.push(...validate(properties[key], field, root, `${path}.${key}`));
    else if (node.additionalProperties === false) errors.push(`${path}: unexpected property '${key}'`);
    else if (isSchemaNode(node.additionalProperties)) {
      errors.push(...validate(node.additionalProperties, field, root, `${path}.${key}`));
    }
  }
  return errors;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isSchemaNode(value);
    default:
      return false;
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
