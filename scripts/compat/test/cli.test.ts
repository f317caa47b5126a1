// The compat CLI: exit codes 0/1/2 as a child process (the interface other tooling relies on),
// AsyncAPI-level rules, --mode, --policy and every --format in-process, and git:<ref>:<path>
// against a temporary git repository.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REGISTRY } from '../../../generated/registry.js';
import { runCompat } from '../command.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CLI = path.join(ROOT, 'scripts/compat/cli.ts');

const COMMON = `
Side:
  title: Side
  type: string
  enum: [buy, sell]
EventHeaders:
  title: EventHeaders
  type: object
  required: [ce-id]
  properties:
    ce-id: { type: string }
  additionalProperties: { type: string }
`;

const ORDERS = `
asyncapi: 3.0.0
info: { title: Orders, version: 1.0.0 }
defaultContentType: application/json
channels:
  ordersPlaced:
    address: orders.placed
    messages:
      OrderPlaced: { $ref: '#/components/messages/OrderPlaced' }
operations:
  sendOrderPlaced:
    action: send
    channel: { $ref: '#/channels/ordersPlaced' }
  receiveOrderPlaced:
    action: receive
    channel: { $ref: '#/channels/ordersPlaced' }
components:
  messages:
    OrderPlaced:
      x-subject: orders.placed
      x-version: 1.0.0
      x-compatibility: BACKWARD_TRANSITIVE
      headers: { $ref: '../common/schemas.yaml#/EventHeaders' }
      payload: { $ref: '#/components/schemas/OrderPlaced' }
  schemas:
    OrderPlaced:
      title: OrderPlaced
      type: object
      additionalProperties: false
      required: [id, side]
      properties:
        id: { type: string }
        side: { $ref: '../common/schemas.yaml#/Side' }
`;

const PLAIN = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: { id: { type: 'string' } },
  required: ['id'],
};

let dir: string;
/** Writes a contract tree (orders/ + common/) under `name`, edited by `edit`, and returns the domain document's path. */
function tree(name: string, edit: (orders: string) => string = (s) => s, common = COMMON): string {
  mkdirSync(path.join(dir, name, 'orders'), { recursive: true });
  mkdirSync(path.join(dir, name, 'common'), { recursive: true });
  writeFileSync(path.join(dir, name, 'common/schemas.yaml'), common);
  writeFileSync(path.join(dir, name, 'orders/orders.asyncapi.yaml'), edit(ORDERS));
  return `${name}/orders/orders.asyncapi.yaml`;
}
function file(name: string, content: string): string {
  writeFileSync(path.join(dir, name), content);
  return name;
}

const addProperty = (s: string) =>
  s.replace('        id: { type: string }', '        id: { type: string }\n        note: { type: string }');
const addRequired = (s: string) => addProperty(s).replace('required: [id, side]', 'required: [id, side, note]');

function child(args: string[], cwd = dir) {
  const env = { ...process.env };
  delete env.npm_lifecycle_event;
  const result = spawnSync(TSX, [CLI, ...args], { cwd, encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const run = (args: string[], cwd = dir) => runCompat(args, { cwd, defaultRoot: ROOT });

interface JsonReport {
  compatible: boolean;
  findings: { subject: string; pointer: string; rule: string; breaks: string[]; message: string }[];
}
function json(args: string[]): JsonReport {
  const result = run([...args, '--format', 'json']);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as JsonReport;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'compat-cli-'));
  tree('v1');
  tree('optional', addProperty);
  tree('required', addRequired);
  tree('narrowed', (s) => s, COMMON.replace('enum: [buy, sell]', 'enum: [buy]'));
  file('old.json', JSON.stringify(PLAIN));
  file('open-added.json', JSON.stringify({ ...PLAIN, properties: { ...PLAIN.properties, note: { type: 'string' } } }));
  file('required-added.json', JSON.stringify({ ...PLAIN, required: ['id', 'note'] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exit codes (child process)', () => {
  it('0 for identical AsyncAPI documents, with a summary line', () => {
    const result = child(['--old', 'v1/orders/orders.asyncapi.yaml', '--new', 'v1/orders/orders.asyncapi.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^compatible: 1 subject checked, 0 errors, 0 warnings$/m);
  });

  it('0 for an optional field added to a closed object under BACKWARD_TRANSITIVE (it breaks FORWARD only)', () => {
    const result = child(['--old', 'v1/orders/orders.asyncapi.yaml', '--new', 'optional/orders/orders.asyncapi.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('property-added at /payload/properties/note (breaks FORWARD');
  });

  it('1 for a new required field, naming the field in the pointer', () => {
    const result = child(['--old', 'v1/orders/orders.asyncapi.yaml', '--new', 'required/orders/orders.asyncapi.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('required-added at /payload/properties/note (breaks BACKWARD');
    expect(result.stdout).toMatch(/^INCOMPATIBLE: 1 error in 1 of 1 subject/m);
  });

  it('reads an AsyncAPI document written as JSON like its YAML form', () => {
    const yamlText = readFileSync(path.join(dir, 'v1/orders/orders.asyncapi.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'v1/orders/orders.asyncapi.json'), JSON.stringify(parseYaml(yamlText)));
    expect(run(['--old', 'v1/orders/orders.asyncapi.json', '--new', 'v1/orders/orders.asyncapi.yaml']).code).toBe(0);
    expect(run(['--old', 'v1/orders/orders.asyncapi.json', '--new', 'required/orders/orders.asyncapi.yaml']).code).toBe(1);
  });

  it('0 and 1 for plain JSON Schema pairs, whatever the file names', () => {
    expect(child(['--old', 'old.json', '--new', 'old.json']).code).toBe(0);
    const result = child(['--old', 'old.json', '--new', 'required-added.json', '--format', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings).toContainEqual(
      expect.objectContaining({ subject: 'schema', pointer: '/properties/note', rule: 'required-added' }),
    );
  });

  it('2 for bad input, naming the file and the problem on stderr', () => {
    file('broken.yaml', 'asyncapi: 3.0.0\nchannels: [unclosed\n');
    file('neither.yaml', 'hello: world\n');
    file('v2.yaml', 'asyncapi: 2.6.0\ninfo: { title: T, version: 1.0.0 }\nchannels: {}\n');
    const cases: [string[], RegExp][] = [
      [['--old', 'missing.yaml', '--new', 'old.json'], /missing\.yaml: cannot read file/],
      [['--old', 'broken.yaml', '--new', 'old.json'], /broken\.yaml: invalid YAML/],
      [['--old', 'neither.yaml', '--new', 'old.json'], /neither\.yaml: neither an AsyncAPI 3 document/],
      [['--old', 'v2.yaml', '--new', 'v2.yaml'], /v2\.yaml: AsyncAPI "2\.6\.0" is not supported/],
      [['--old', 'old.json', '--new', 'old.json', '--mode', 'SOMETIMES'], /--mode: unknown compatibility mode "SOMETIMES"/],
      [['--old', 'old.json', '--new', 'old.json', '--policy', 'loose'], /--policy: unknown policy "loose"/],
      [['--old', 'old.json', '--new', 'old.json', '--format', 'xml'], /--format: unknown format "xml"/],
      [['--old', 'old.json', '--new', 'old.json', '--verbose'], /Unknown option '--verbose'/],
      [['--old', 'old.json'], /--new: is missing/],
      [
        ['--old', 'v1/orders/orders.asyncapi.yaml', '--new', 'old.json'],
        /old\.json: is a plain JSON Schema but .* is an AsyncAPI document/,
      ],
      [['--root', 'nowhere'], /nowhere: has no contracts\/ directory/],
      [['--old', 'old.json', '--new', 'old.json', '--root', '.'], /--root: applies to the working-tree check only/],
    ];
    const [first, ...rest] = cases;
    const childResult = child((first as [string[], RegExp])[0]);
    expect(childResult.code).toBe(2);
    expect(childResult.stderr).toMatch((first as [string[], RegExp])[1]);
    expect(childResult.stdout).toBe('');
    for (const [args, message] of rest) {
      const result = run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });
});

describe('AsyncAPI-level rules', () => {
  const rulesOf = (edit: (s: string) => string) => {
    const report = json(['--old', 'v1/orders/orders.asyncapi.yaml', '--new', tree(`edit-${Math.random().toString(36).slice(2)}`, edit)]);
    return { report, rules: report.findings.map((f) => f.rule) };
  };

  it('reports a removed channel, its subject and its operations', () => {
    const { report, rules } = rulesOf((s) =>
      s
        .replace(/channels:\n {2}ordersPlaced:[\s\S]*?operations:\n/, 'channels: {}\noperations:\n')
        .replace(/operations:[\s\S]*?components:/, 'components:'),
    );
    expect(report.compatible).toBe(false);
    expect(rules).toEqual(expect.arrayContaining(['channel-removed', 'subject-removed', 'operation-removed']));
    expect(report.findings.find((f) => f.rule === 'subject-removed')?.message).toMatch(/deprecate/);
  });

  it('reports a changed address, a renamed message, a flipped action and a changed content type', () => {
    expect(rulesOf((s) => s.replace('address: orders.placed', 'address: orders.created')).rules).toContain('channel-address-changed');
    expect(
      rulesOf((s) => s.replace("OrderPlaced: { $ref: '#/components/messages", "OrderCreated: { $ref: '#/components/messages")).rules,
    ).toContain('message-removed');
    expect(rulesOf((s) => s.replace('action: receive', 'action: send')).rules).toContain('operation-action-changed');
    const contentType = rulesOf((s) => s.replace('defaultContentType: application/json', 'defaultContentType: application/avro'));
    expect(contentType.report.findings).toContainEqual(
      expect.objectContaining({ rule: 'content-type-changed', pointer: '/contentType', breaks: ['BACKWARD', 'FORWARD'] }),
    );
  });

  it('warns (does not fail) when a receive operation goes away', () => {
    const { report } = rulesOf((s) => s.replace(/ {2}receiveOrderPlaced:\n.*\n.*\n/, ''));
    expect(report.compatible).toBe(true);
    expect(report.findings).toContainEqual(expect.objectContaining({ rule: 'operation-removed', breaks: [] }));
  });

  it('fails a weakened mode under the old mode and accepts a stronger one', () => {
    const weakened = rulesOf((s) => s.replace('x-compatibility: BACKWARD_TRANSITIVE', 'x-compatibility: NONE'));
    expect(weakened.report.compatible).toBe(false);
    expect(weakened.rules).toEqual(['mode-weakened']);
    expect(rulesOf((s) => s.replace('x-compatibility: BACKWARD_TRANSITIVE', 'x-compatibility: FULL_TRANSITIVE')).rules).toEqual([]);
  });

  it('diffs the headers schema with pointers under /headers', () => {
    const report = json([
      '--old',
      'v1/orders/orders.asyncapi.yaml',
      '--new',
      tree('headers', (s) => s, COMMON.replace('required: [ce-id]', 'required: [ce-id, ce-type]')),
    ]);
    expect(report.compatible).toBe(false);
    expect(report.findings).toContainEqual(expect.objectContaining({ pointer: '/headers/properties/ce-type', rule: 'required-added' }));
  });

  it('does not hold a new major version to the old one', () => {
    const report = json([
      '--old',
      'v1/orders/orders.asyncapi.yaml',
      '--new',
      tree('major', (s) => addRequired(s).replace('x-version: 1.0.0', 'x-version: 2.0.0')),
    ]);
    expect(report).toEqual({ compatible: true, findings: [expect.objectContaining({ rule: 'major-version-bumped', breaks: [] })] });
  });

  it('reads a domain document and the bundled asyncapi.yaml into the same subjects', () => {
    const decisions = path.join(ROOT, 'contracts/decisions/decisions.asyncapi.yaml');
    const bundle = path.join(ROOT, 'asyncapi.yaml');
    expect(json(['--old', decisions, '--new', bundle])).toEqual({ compatible: true, findings: [] });
    const removed = json(['--old', bundle, '--new', decisions]).findings.filter((f) => f.rule === 'subject-removed');
    // Every subject but the one the decisions document defines is missing from it.
    const others = REGISTRY.map((entry) => entry.subject).filter((subject) => subject !== 'decisions.order_intent');
    expect(others.length).toBeGreaterThanOrEqual(5);
    expect(removed.map((f) => f.subject).sort()).toEqual(others.sort());
  });
});

describe('--mode and --policy', () => {
  const optional = ['--old', 'v1/orders/orders.asyncapi.yaml', '--new', 'optional/orders/orders.asyncapi.yaml'];
  const narrowed = ['--old', 'v1/orders/orders.asyncapi.yaml', '--new', 'narrowed/orders/orders.asyncapi.yaml'];

  it('--mode overrides the declared mode', () => {
    expect(run(optional).code).toBe(0);
    expect(run([...optional, '--mode', 'FULL']).code).toBe(1);
    expect(run([...optional, '--mode', 'FORWARD_TRANSITIVE']).code).toBe(1);
    expect(run(narrowed).code).toBe(1);
    expect(run([...narrowed, '--mode', 'FORWARD']).code).toBe(0);
    expect(run([...narrowed, '--mode', 'NONE']).code).toBe(0);
  });

  it('--policy lenient accepts a field added to an open object; strict does not', () => {
    expect(run(['--old', 'old.json', '--new', 'open-added.json']).code).toBe(1);
    expect(run(['--old', 'old.json', '--new', 'open-added.json', '--policy', 'strict']).code).toBe(1);
    expect(run(['--old', 'old.json', '--new', 'open-added.json', '--policy', 'lenient']).code).toBe(0);
  });
});

describe('--format', () => {
  const args = ['--old', 'v1/orders/orders.asyncapi.yaml', '--new', 'required/orders/orders.asyncapi.yaml'];
  const noteLine = () =>
    readFileSync(path.join(dir, 'required/orders/orders.asyncapi.yaml'), 'utf8').split('\n').indexOf('        note: { type: string }') + 1;

  it('json: exactly compatible and findings with subject, pointer, rule, breaks, message', () => {
    const report = json(args);
    expect(Object.keys(report)).toEqual(['compatible', 'findings']);
    expect(report.compatible).toBe(false);
    for (const finding of report.findings) expect(Object.keys(finding)).toEqual(['subject', 'pointer', 'rule', 'breaks', 'message']);
    expect(report.findings).toContainEqual({
      subject: 'orders.placed',
      pointer: '/payload/properties/note',
      rule: 'required-added',
      breaks: ['BACKWARD'],
      message: expect.stringContaining('note'),
    });
  });

  it('github: one ::error per breaking finding with file, line and title', () => {
    const result = run([...args, '--format', 'github']);
    expect(result.code).toBe(1);
    const annotations = result.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations.length).toBeGreaterThan(0);
    for (const line of annotations) expect(line).toMatch(/^::(error|warning) file=[^,:]+(,line=\d+)?,title=[a-z-]+::.+/);
    // The message itself is the engine's; the annotation's shape around it is ours.
    const error = annotations.find((line) => line.includes('title=required-added'));
    expect(error).toMatch(
      /^::error file=required\/orders\/orders\.asyncapi\.yaml,line=(\d+),title=required-added::orders\.placed \/payload\/properties\/note: .+ \(breaks BACKWARD\)$/,
    );
    expect(error).toContain(`,line=${noteLine()},`);
    const warnings = run([
      '--old',
      'v1/orders/orders.asyncapi.yaml',
      '--new',
      'optional/orders/orders.asyncapi.yaml',
      '--format',
      'github',
    ]);
    expect(warnings.stdout).toMatch(/^::warning file=optional\/orders\/orders\.asyncapi\.yaml,line=\d+,title=property-added::/m);
  });

  it('junit: well-formed XML with a testsuite per subject and a failure per breaking finding', () => {
    const xml = run([...args, '--format', 'junit']).stdout;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
    expect(xml).toMatch(/<testsuite name="orders\.placed" tests="\d+" failures="1" errors="0">/);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(wellFormed(xml)).toBe(true);
  });

  it('sarif: SARIF 2.1.0 with rules and located results', () => {
    const sarif = JSON.parse(run([...args, '--format', 'sarif']).stdout);
    expect(sarif.version).toBe('2.1.0');
    const [runEntry] = sarif.runs;
    expect(runEntry.tool.driver.rules.map((r: { id: string }) => r.id)).toContain('required-added');
    const result = runEntry.results.find((r: { ruleId: string }) => r.ruleId === 'required-added');
    expect(result.level).toBe('error');
    expect(runEntry.tool.driver.rules[result.ruleIndex].id).toBe('required-added');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'required/orders/orders.asyncapi.yaml' },
      region: { startLine: noteLine() },
    });
  });

  it('text: grouped by subject, with file:line', () => {
    const text = run([...args, '--format', 'text']).stdout;
    expect(text).toMatch(/^orders\.placed\n {2}error {4}required-added at \/payload\/properties\/note/m);
    expect(text).toContain(`required/orders/orders.asyncapi.yaml:${noteLine()}`);
  });

  it('locates a field that lives in another file behind a $ref', () => {
    const text = run([
      '--old',
      'v1/orders/orders.asyncapi.yaml',
      '--new',
      'narrowed/orders/orders.asyncapi.yaml',
      '--format',
      'github',
    ]).stdout;
    const enumLine = COMMON.split('\n').findIndex((l) => l.includes('enum:')) + 1;
    expect(text).toContain(
      `::error file=narrowed/common/schemas.yaml,line=${enumLine},title=enum-narrowed::orders.placed /payload/properties/side/enum`,
    );
  });
});

/** A small well-formedness check: every tag closes in order and nothing but markup and text is there. */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  for (const [, closing, name, , selfClosing] of body.matchAll(/<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>/g)) {
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name as string);
  }
  const stripped = body.replace(/<[^>]+>/g, '');
  return stack.length === 0 && !/[<>]/.test(stripped) && !/&(?!(amp|lt|gt|quot|apos);)/.test(stripped);
}

describe('git:<ref>:<path>', () => {
  let repo: string;
  const git = (...args: string[]) => {
    const result = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };

  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'compat-git-repo-'));
    mkdirSync(path.join(repo, 'contracts/orders'), { recursive: true });
    mkdirSync(path.join(repo, 'contracts/common'), { recursive: true });
    writeFileSync(path.join(repo, 'contracts/common/schemas.yaml'), COMMON);
    writeFileSync(path.join(repo, 'contracts/orders/orders.asyncapi.yaml'), ORDERS);
    git('init', '-q', '-b', 'main');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'empty');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'contracts');
    // The working tree narrows the shared enum (refs into ../common must resolve at the ref too).
    writeFileSync(path.join(repo, 'contracts/common/schemas.yaml'), COMMON.replace('enum: [buy, sell]', 'enum: [buy]'));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('compares the tree at a ref with the working tree', () => {
    const result = child(
      ['--old', 'git:HEAD:contracts/orders/orders.asyncapi.yaml', '--new', 'contracts/orders/orders.asyncapi.yaml', '--format', 'json'],
      repo,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings).toContainEqual(
      expect.objectContaining({ pointer: '/payload/properties/side/enum', rule: 'enum-narrowed' }),
    );
    expect(
      run(['--old', 'git:HEAD:contracts/orders/orders.asyncapi.yaml', '--new', 'git:HEAD:contracts/orders/orders.asyncapi.yaml'], repo)
        .code,
    ).toBe(0);
    expect(
      run(['--old', 'git:HEAD~1:contracts/orders/orders.asyncapi.yaml', '--new', 'contracts/orders/orders.asyncapi.yaml'], repo).stderr,
    ).toMatch(/git:HEAD~1:contracts\/orders\/orders\.asyncapi\.yaml: cannot read file/);
  });

  it('exits 2 for a ref that does not exist (as in a shallow clone)', () => {
    const result = child(
      ['--old', 'git:origin/nope:contracts/orders/orders.asyncapi.yaml', '--new', 'contracts/orders/orders.asyncapi.yaml'],
      repo,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /git:origin\/nope:contracts\/orders\/orders\.asyncapi\.yaml: git ref origin\/nope is not available .*fetch-depth: 0/,
    );
    expect(run(['--old', 'git:HEAD', '--new', 'x.yaml'], repo).stderr).toMatch(/expected git:<ref>:<path>/);
  });
});
