// Contract tests over the generated registry: every example is valid, a table of invalid
// mutations (derived from the schemas, not written per subject) is rejected with issues that
// name the mutated field, the AsyncAPI documents parse, and generated/ matches the contracts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromFile, Parser } from '@asyncapi/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY } from '../../generated/registry.js';
import * as validators from '../../generated/validators.js';
import type { RegistryEntry } from '../../services/core/src/registry.js';
import type { ValidationIssue, ValidationResult } from '../../services/core/src/validation.js';
import { generateAll } from '../codegen/generate-all.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type JsonSchema = Record<string, unknown>;
type Validate = (data: unknown) => ValidationResult<unknown>;
type Guard = (data: unknown) => boolean;

/** A generated export by name; fails loudly when the generator stopped emitting it. */
function generatedFunction<F>(name: string): F {
  const fn = (validators as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new Error(`generated/validators.ts has no export ${name}`);
  return fn as F;
}
const validatePayload = (entry: RegistryEntry): Validate => generatedFunction<Validate>(`validate${entry.typeName}`);
const validateHeaders = (entry: RegistryEntry): Validate => generatedFunction<Validate>(`validate${entry.typeName}Headers`);
const guard = (entry: RegistryEntry): Guard => generatedFunction<Guard>(`is${entry.typeName}`);

function firstExample(entry: RegistryEntry) {
  const example = entry.examples[0];
  if (!example) throw new Error(`${entry.subject} has no example`);
  return example;
}

function issuesOf(result: ValidationResult<unknown>): ValidationIssue[] {
  return result.ok ? [] : result.issues;
}

// ---------------------------------------------------------------------------------------------
// Schema walking and JSON pointers

/** Follows local `$ref`s (`#/definitions/X`) of the payload schema until a schema without one. */
function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith('#/') || hops > 20) throw new Error(`unsupported $ref ${ref}`);
    let target: unknown = root;
    for (const segment of ref.slice(2).split('/')) target = (target as JsonSchema)[unescapePointer(segment)];
    if (!target || typeof target !== 'object') throw new Error(`dangling $ref ${ref}`);
    current = target as JsonSchema;
  }
  return current;
}

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  return typeof schema.type === 'string' ? [schema.type] : [];
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return (schema.properties ?? {}) as Record<string, JsonSchema>;
}

function requiredOf(schema: JsonSchema): string[] {
  return (schema.required ?? []) as string[];
}

const escapePointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapePointer = (segment: string): string => segment.replace(/~1/g, '/').replace(/~0/g, '~');
const pointer = (segments: readonly string[]): string => segments.map((s) => `/${escapePointer(s)}`).join('');

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether a value's JSON type is one of the allowed schema types (an integer is also a number). */
function typeAllowed(value: unknown, types: readonly string[]): boolean {
  const actual = jsonType(value);
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

/** A value of the wrong JSON type for a field: a string field gets 42, a number field "12.5", ... */
const WRONG_TYPE_CANDIDATES: Record<string, unknown> = {
  string: 42,
  number: '12.5',
  integer: '12',
  boolean: 'true',
  object: 'not-an-object',
  array: { not: 'an array' },
  null: 'not-null',
};
function wrongTypeValue(types: readonly string[]): unknown {
  for (const type of types) {
    const candidate = WRONG_TYPE_CANDIDATES[type];
    if (candidate !== undefined && !typeAllowed(candidate, types)) return candidate;
  }
  for (const candidate of [42, 'x', true, {}, []]) if (!typeAllowed(candidate, types)) return candidate;
  throw new Error(`no wrong-type value for ${types.join('|')}`);
}

/** A realistic value outside an enum (a stock asset class, a "hold" side); a made-up one otherwise. */
const PLAUSIBLE_OUT_OF_ENUM: Record<string, string> = { AssetClass: 'equities', Side: 'hold' };
function outOfEnumValue(schema: JsonSchema, field: string): string {
  const allowed = schema.enum as unknown[];
  const title = typeof schema.title === 'string' ? schema.title : '';
  const value = PLAUSIBLE_OUT_OF_ENUM[title] ?? `not_a_${field}`;
  if (allowed.includes(value)) throw new Error(`${value} is in the enum of ${field}`);
  return value;
}

function getAt(document: unknown, segments: readonly string[]): unknown {
  let current = document;
  for (const segment of segments) current = (current as Record<string, unknown>)?.[segment];
  return current;
}

/** A deep copy with the value at the pointer replaced, or removed when `remove` is set. */
function mutate(document: unknown, segments: readonly string[], change: { remove: true } | { value: unknown }): unknown {
  const copy = structuredClone(document) as Record<string, unknown>;
  const parent = getAt(copy, segments.slice(0, -1)) as Record<string, unknown>;
  const key = segments.at(-1) as string;
  if ('remove' in change) delete parent[key];
  else parent[key] = change.value;
  return copy;
}

// ---------------------------------------------------------------------------------------------
// The mutation table

type MutationKind = 'required' | 'type' | 'enum' | 'format' | 'additional' | 'nested';

interface PayloadMutation {
  entry: RegistryEntry;
  kind: MutationKind;
  description: string;
  /** JSON pointer of the field the mutation breaks; every issue must name it. */
  path: string;
  keyword: string;
  /** Words the issue message must contain (the allowed values of an enum). */
  messageIncludes: string[];
  payload: unknown;
}

const BAD_DATE_TIMES = ['2026-13-45T99:00:00Z', 'yesterday'];

/** Breaks one field of an object (top level or nested): remove required, wrong type, enum, date-time. */
function fieldMutations(
  entry: RegistryEntry,
  kindOf: (kind: Exclude<MutationKind, 'nested' | 'additional'>) => MutationKind,
  example: unknown,
  parentSegments: readonly string[],
  objectSchema: JsonSchema,
): PayloadMutation[] {
  const root = entry.payloadSchema;
  const cases: PayloadMutation[] = [];
  const add = (kind: MutationKind, description: string, segments: string[], keyword: string, payload: unknown, words: string[] = []) =>
    cases.push({ entry, kind, description, path: pointer(segments), keyword, messageIncludes: words, payload });

  for (const field of requiredOf(objectSchema)) {
    const segments = [...parentSegments, field];
    add(kindOf('required'), `without required ${pointer(segments)}`, segments, 'required', mutate(example, segments, { remove: true }));
  }
  for (const [field, propertySchema] of Object.entries(propertiesOf(objectSchema))) {
    const schema = resolve(propertySchema, root);
    const segments = [...parentSegments, field];
    const types = typesOf(schema);
    if (types.length > 0) {
      const value = wrongTypeValue(types);
      add(kindOf('type'), `${pointer(segments)} = ${JSON.stringify(value)}`, segments, 'type', mutate(example, segments, { value }));
    }
    if (Array.isArray(schema.enum)) {
      const value = outOfEnumValue(schema, field);
      const words = schema.enum.map(String);
      add(kindOf('enum'), `${pointer(segments)} = "${value}"`, segments, 'enum', mutate(example, segments, { value }), words);
    }
    if (schema.format === 'date-time') {
      for (const value of BAD_DATE_TIMES) {
        add(kindOf('format'), `${pointer(segments)} = "${value}"`, segments, 'format', mutate(example, segments, { value }));
      }
    }
  }
  return cases;
}

function payloadMutations(entry: RegistryEntry): PayloadMutation[] {
  const root = entry.payloadSchema;
  const example = firstExample(entry).payload;
  const cases = fieldMutations(entry, (kind) => kind, example, [], root);

  cases.push({
    entry,
    kind: 'additional',
    description: 'an unexpected root field',
    path: '/unexpectedField',
    keyword: 'additionalProperties',
    messageIncludes: ['unexpectedField'],
    payload: mutate(example, ['unexpectedField'], { value: 'surprise' }),
  });

  // One level down, into the nested objects the first example carries (instrument, money, maps).
  for (const [field, propertySchema] of Object.entries(propertiesOf(root))) {
    const schema = resolve(propertySchema, root);
    const value = (example as Record<string, unknown>)[field];
    if (!typesOf(schema).includes('object') || jsonType(value) !== 'object') continue;
    if (schema.properties) {
      cases.push(...fieldMutations(entry, () => 'nested', example, [field], schema));
      if (schema.additionalProperties === false) {
        const segments = [field, 'unexpectedField'];
        cases.push({
          entry,
          kind: 'nested',
          description: `an unexpected field in ${pointer([field])}`,
          path: pointer(segments),
          keyword: 'additionalProperties',
          messageIncludes: ['unexpectedField'],
          payload: mutate(example, segments, { value: 'surprise' }),
        });
      }
    } else if (typeof schema.additionalProperties === 'object') {
      // A map of strings: a non-string value under one of its keys.
      const key = Object.keys(value as object)[0] ?? 'someKey';
      const segments = [field, key];
      const itemTypes = typesOf(resolve(schema.additionalProperties as JsonSchema, root));
      const wrong = wrongTypeValue(itemTypes);
      cases.push({
        entry,
        kind: 'nested',
        description: `${pointer(segments)} = ${JSON.stringify(wrong)}`,
        path: pointer(segments),
        keyword: 'type',
        messageIncludes: [],
        payload: mutate(example, segments, { value: wrong }),
      });
    }
  }
  return cases;
}

const PAYLOAD_MUTATIONS = REGISTRY.flatMap(payloadMutations);

interface HeaderMutation {
  entry: RegistryEntry;
  description: string;
  path: string;
  keyword: string;
  headers: unknown;
}

function headerMutations(entry: RegistryEntry): HeaderMutation[] {
  const headers = firstExample(entry).headers;
  const cases: HeaderMutation[] = requiredOf(entry.headersSchema).map((name) => ({
    entry,
    description: `without ${name}`,
    path: pointer([name]),
    keyword: 'required',
    headers: mutate(headers, [name], { remove: true }),
  }));
  const bad = (name: string, value: unknown, keyword: string) =>
    cases.push({
      entry,
      description: `${name} = ${JSON.stringify(value)}`,
      path: pointer([name]),
      keyword,
      headers: mutate(headers, [name], { value }),
    });
  bad('traceparent', 'not-a-traceparent', 'pattern');
  bad('traceparent', '00-5E55A156F6B8EECEC845EE9445E460CD-d69522194a3720d9-01', 'pattern');
  bad('ce-time', 'yesterday', 'format');
  bad('ce-schemaversion', 'v1', 'pattern');
  bad('ce-specversion', '0.3', 'const');
  bad('x-extra-header', 42, 'type');
  return cases;
}

const HEADER_MUTATIONS = REGISTRY.flatMap(headerMutations);

function expectRejected(result: ValidationResult<unknown>, expected: { path: string; keyword: string; messageIncludes?: string[] }): void {
  expect(result.ok, 'the mutation must be rejected').toBe(false);
  const issues = issuesOf(result);
  // A single mutation of a valid example must not be blamed on any other field.
  expect(issues.map((i) => i.path)).toEqual(issues.map(() => expected.path));
  const issue = issues.find((i) => i.keyword === expected.keyword);
  expect(issue, `an issue with keyword ${expected.keyword} in ${JSON.stringify(issues)}`).toBeDefined();
  for (const word of expected.messageIncludes ?? []) expect(issue?.message).toContain(word);
}

// ---------------------------------------------------------------------------------------------

describe('registry examples', () => {
  const examples = REGISTRY.flatMap((entry) =>
    entry.examples.map((example) => ({ entry, example, label: `${entry.subject} ${example.name}` })),
  );

  it('covers every subject', () => {
    expect(REGISTRY.length).toBeGreaterThan(0);
    expect(new Set(REGISTRY.map((e) => e.subject)).size).toBe(REGISTRY.length);
  });

  it.each(REGISTRY.map((entry) => [entry.subject, entry] as const))('%s has at least two examples with distinct names', (_, entry) => {
    expect(entry.examples.length).toBeGreaterThanOrEqual(2);
    expect(new Set(entry.examples.map((e) => e.name)).size).toBe(entry.examples.length);
  });

  it.each(examples.map((c) => [c.label, c] as const))('%s: the payload is valid', (_, { entry, example }) => {
    expect(validatePayload(entry)(example.payload)).toEqual({ ok: true, value: example.payload });
    expect(guard(entry)(example.payload)).toBe(true);
  });

  it.each(examples.map((c) => [c.label, c] as const))('%s: the headers are valid and match the subject', (_, { entry, example }) => {
    expect(issuesOf(validateHeaders(entry)(example.headers))).toEqual([]);
    expect(example.headers['ce-type']).toBe(entry.subject);
    expect(example.headers['ce-schemaversion']).toBe(entry.version);
    expect(example.headers['Nats-Msg-Id']).toBe(example.headers['ce-id']);
  });

  it('uses a different ce-id in every example (JetStream de-duplicates across the whole stream)', () => {
    const ids = examples.map((c) => c.example.headers['ce-id']);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('invalid payloads', () => {
  it('derives a large table covering missing, mistyped and extra fields for every subject', () => {
    expect(PAYLOAD_MUTATIONS.length).toBeGreaterThan(40);
    for (const entry of REGISTRY) {
      const kinds = new Set(PAYLOAD_MUTATIONS.filter((m) => m.entry === entry).map((m) => m.kind));
      for (const kind of ['required', 'type', 'additional'] as const) expect(kinds, `${entry.subject} has a ${kind} case`).toContain(kind);
      // Every required field has its removal case.
      const removed = PAYLOAD_MUTATIONS.filter((m) => m.entry === entry && m.kind === 'required').map((m) => m.path);
      expect(removed).toEqual(requiredOf(entry.payloadSchema).map((f) => `/${f}`));
    }
    const kinds = new Set(PAYLOAD_MUTATIONS.map((m) => m.kind));
    expect([...kinds].sort()).toEqual(['additional', 'enum', 'format', 'nested', 'required', 'type']);
    const instrumentSubjects = REGISTRY.filter((e) => 'instrument' in propertiesOf(e.payloadSchema));
    expect(instrumentSubjects.length).toBeGreaterThan(0);
    for (const entry of instrumentSubjects) {
      expect(PAYLOAD_MUTATIONS.some((m) => m.entry === entry && m.path === '/instrument/assetClass' && m.kind === 'nested')).toBe(true);
    }
  });

  it('sets /instrument/assetClass to "equities" and the issue lists the asset classes', () => {
    const mutation = PAYLOAD_MUTATIONS.find((m) => m.path === '/instrument/assetClass' && m.keyword === 'enum');
    expect(getAt(mutation?.payload, ['instrument', 'assetClass'])).toBe('equities');
    expect(mutation?.messageIncludes).toEqual(['futures', 'fx', 'crypto']);
  });

  it.each(PAYLOAD_MUTATIONS.map((m) => [m.entry.subject, m.kind, m.description, m] as const))(
    '%s [%s] %s is rejected',
    (_, _kind, _description, mutation) => {
      expectRejected(validatePayload(mutation.entry)(mutation.payload), mutation);
    },
  );
});

describe('invalid headers', () => {
  it('includes a missing ce-id and a bad traceparent for every subject', () => {
    for (const entry of REGISTRY) {
      const cases = HEADER_MUTATIONS.filter((m) => m.entry === entry);
      expect(cases.some((m) => m.path === '/ce-id' && m.keyword === 'required')).toBe(true);
      expect(cases.some((m) => m.path === '/traceparent')).toBe(true);
    }
  });

  it.each(HEADER_MUTATIONS.map((m) => [m.entry.subject, m.description, m] as const))('%s headers %s are rejected', (_, _d, mutation) => {
    expectRejected(validateHeaders(mutation.entry)(mutation.headers), mutation);
  });
});

describe('type guards', () => {
  it.each(REGISTRY.map((entry) => [entry.typeName, entry] as const))('is%s accepts the examples and refuses mutations', (_, entry) => {
    const is = guard(entry);
    for (const example of entry.examples) expect(is(example.payload), example.name).toBe(true);
    const mutations = PAYLOAD_MUTATIONS.filter((m) => m.entry === entry);
    expect(mutations.length).toBeGreaterThan(0);
    for (const mutation of mutations) expect(is(mutation.payload), mutation.description).toBe(false);
    for (const value of [null, undefined, 'text', 42, [], {}]) expect(is(value)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

const SEVERITY_ERROR = 0;

function domainDocuments(): string[] {
  const contractsDir = path.join(rootDir, 'contracts');
  return readdirSync(contractsDir)
    .filter((dir) => statSync(path.join(contractsDir, dir)).isDirectory())
    .flatMap((dir) =>
      readdirSync(path.join(contractsDir, dir))
        .filter((file) => file.endsWith('.asyncapi.yaml'))
        .map((file) => `contracts/${dir}/${file}`),
    )
    .sort();
}

async function parseAsyncApi(relativePath: string) {
  const { document, diagnostics } = await fromFile(new Parser(), path.join(rootDir, relativePath)).parse();
  const errors = diagnostics.filter((d) => d.severity === SEVERITY_ERROR).map((d) => `${d.path.join('/')}: ${d.message}`);
  return { document, errors };
}

describe('AsyncAPI documents', () => {
  const documents = domainDocuments();

  it('finds one document per registry source', () => {
    expect(documents).toEqual([...new Set(REGISTRY.map((e) => e.source))].sort());
  });

  it.each([...documents, 'asyncapi.yaml'])('%s parses without errors', async (file) => {
    const { document, errors } = await parseAsyncApi(file);
    expect(errors).toEqual([]);
    expect(document).toBeDefined();
  });

  it.each(documents)('%s declares its subjects with the registry version, compatibility and owner', async (file) => {
    const { document } = await parseAsyncApi(file);
    const entries = REGISTRY.filter((e) => e.source === file);
    const channels = document?.channels().all() ?? [];
    expect(channels.map((c) => c.address()).sort()).toEqual(entries.map((e) => e.subject).sort());
    for (const entry of entries) {
      const channel = channels.find((c) => c.address() === entry.subject);
      const messages = channel?.messages().all() ?? [];
      expect(messages.map((m) => m.id())).toEqual([entry.name]);
      const extensions = messages[0]?.extensions();
      expect(extensions?.get('x-subject')?.value()).toBe(entry.subject);
      expect(extensions?.get('x-version')?.value()).toBe(entry.version);
      expect(extensions?.get('x-compatibility')?.value()).toBe(entry.compatibility);
      expect(extensions?.get('x-owner')?.value()).toBe(entry.owner);
    }
  });

  it('the root asyncapi.yaml lists one channel per registry subject, with the same address', async () => {
    const { document } = await parseAsyncApi('asyncapi.yaml');
    const channels = document?.channels().all() ?? [];
    expect(channels).toHaveLength(REGISTRY.length);
    expect(channels.map((c) => c.address()).sort()).toEqual(REGISTRY.map((e) => e.subject).sort());
    for (const entry of REGISTRY) {
      const channel = channels.find((c) => c.address() === entry.subject);
      expect(
        channel
          ?.messages()
          .all()
          .map((m) => m.id()),
      ).toEqual([entry.name]);
    }
  });
});

// ---------------------------------------------------------------------------------------------

function listFiles(dir: string, prefix: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = path.join(dir, entry);
      return statSync(full).isDirectory() ? listFiles(full, `${prefix}/${entry}`) : [`${prefix}/${entry}`];
    });
}

describe('generated code is in sync with the contracts', () => {
  const onDisk = [...listFiles(path.join(rootDir, 'generated'), 'generated'), 'asyncapi.yaml'];
  let files: Map<string, string>;

  beforeAll(async () => {
    files = await generateAll({ rootDir });
  }, 120_000);

  it('produces exactly the files that are on disk', () => {
    expect([...files.keys()].sort()).toEqual([...onDisk].sort());
  });

  it.each(onDisk)('%s is what the generator produces', (file) => {
    const expected = files.get(file);
    expect(expected, `${file} is not produced by the generator`).toBeDefined();
    expect(readFileSync(path.join(rootDir, file), 'utf8')).toBe(expected);
  });
});
