// The offline model's answers conform to whatever schema a recipe asks for, and come from the prompt.
import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  extractFacts,
  type SchemaNode,
  sampleAnswer,
  sampleFromSchema,
  validateJsonSchema,
} from '../../src/sandbox/openai/index.ts';

const strict = (schema: z.ZodType, name = 'out') =>
  zodResponseFormat(schema, name).json_schema.schema as SchemaNode;
const lead = extractFacts([
  'Name: Ada Lovelace\nCompany: Acme Robotics\nEmail: ada@acme.example\nNotes: hates cold calls',
]);

const Address = z.object({ street: z.string(), city: z.string() });
const Node: z.ZodType<{ label: string; children: unknown[] }> = z.object({
  label: z.string(),
  get children() {
    return z.array(Node);
  },
});

const schemas: Record<string, z.ZodObject> = {
  'formats and bounds': z.object({
    email: z.email(),
    site: z.url(),
    id: z.uuid(),
    at: z.iso.datetime(),
    day: z.iso.date(),
    code: z.string().regex(/^[A-Z]{3}-\d{4}$/),
    ref: z.string().startsWith('ref_'),
    short: z.string().max(5),
    long: z.string().min(400),
    score: z.int().min(1).max(5),
    ratio: z.number().positive().lt(1),
    even: z.int().multipleOf(2).min(3).max(9),
  }),
  'nesting, nullables and unions': z.object({
    home: Address,
    work: Address.nullable(),
    phone: z.string().nullable(),
    tags: z
      .array(z.enum(['hot', 'warm', 'cold']))
      .min(2)
      .max(2),
    step: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('email'), subject: z.string() }),
      z.object({ kind: z.literal('call'), minutes: z.int().min(5) }),
    ]),
    value: z.union([z.number(), z.string()]),
    flag: z.boolean(),
  }),
  recursive: z.object({ tree: Node }),
  'an auditor': z.object({
    verdict: z.enum(['PASS', 'FAIL']),
    issues: z.array(z.string()),
    reason: z.string().min(10),
    confidence: z.number().min(0).max(1),
  }),
};

describe('sample answers for a schema', () => {
  for (const [label, schema] of Object.entries(schemas)) {
    it(`validate against the schema: ${label}`, () => {
      const value = sampleFromSchema(strict(schema), lead);
      const parsed = schema.safeParse(value);
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
      expect(validateJsonSchema(strict(schema), value)).toEqual([]);
    });
  }

  it('are the same for the same prompt', () => {
    const schema = strict(schemas['nesting, nullables and unions']!);
    expect(sampleFromSchema(schema, lead)).toEqual(sampleFromSchema(schema, lead));
  });

  it('copy data the prompt states and label the prose they write', () => {
    const Lead = z.object({ name: z.string(), email: z.email(), summary: z.string(), subject: z.string() });
    const value = Lead.parse(sampleFromSchema(strict(Lead), lead));
    expect(value.name).toBe('Ada Lovelace');
    expect(value.email).toBe('ada@acme.example');
    expect(value.summary).toMatch(/^\[sample\] Based on 4 facts/);
    expect(value.subject).toBe('[sample] Idea for Acme Robotics');
  });

  it('leave problem lists empty and pick the first verdict unless the prompt names one', () => {
    const Audit = schemas['an auditor']!;
    const pass = Audit.parse(sampleFromSchema(strict(Audit), lead)) as { verdict: string; issues: string[] };
    expect(pass).toMatchObject({ verdict: 'PASS', issues: [] });
    const told = extractFacts(['verdict: fail']);
    expect(Audit.parse(sampleFromSchema(strict(Audit), told))).toMatchObject({ verdict: 'FAIL' });
  });
});

describe('facts from a prompt', () => {
  it('reads labelled lines and JSON objects, not URLs or times', () => {
    const facts = extractFacts([
      'Lead details:\n- Company Name: Acme\nSee https://acme.example at 10:30\n```json\n{"contact": {"first_name": "Ada", "tags": ["a", "b"]}}\n```',
    ]);
    expect(facts.get('company name')).toBe('Acme');
    expect(facts.get('companyName')).toBe('Acme');
    expect(facts.get('first_name')).toBe('Ada');
    expect(facts.get('tags')).toBe('a, b');
    expect(facts.get('https')).toBeUndefined();
    expect(facts.size).toBe(3);
  });

  it('answer a plain prompt with a labelled sentence about the lead', () => {
    const text = sampleAnswer({
      api: 'chat',
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Company: Acme\nSay hello.' }],
      format: { kind: 'text' },
    });
    expect(text).toMatch(/^\[sample\] .*about Acme/);
  });
});

describe('the schema validator', () => {
  it('reports what breaks a schema', () => {
    const schema = strict(z.object({ n: z.int().min(1), s: z.enum(['a']) }));
    expect(validateJsonSchema(schema, { n: 0, s: 'b', extra: true })).toEqual([
      '$.n: less than 1',
      '$.s: must be one of ["a"]',
      "$: unexpected property 'extra'",
    ]);
  });
});
