// The registry of released versions and `make release-contracts`, on a small contract tree in a
// temp dir: snapshot format and checksums, tamper detection, semver order, the bump each kind of
// change needs, the working-tree check against the registry, and the merge-base check with git.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateAll } from '../../codegen/generate-all.js';
import { writeGenerated } from '../../codegen/write-files.js';
import { runCompat } from '../command.js';
import {
  CHECKSUMS_FILE,
  listReleased,
  type ReleasedSnapshot,
  readSnapshot,
  sha256,
  snapshotPath,
  snapshotText,
  verifyRegistry,
  writeSnapshots,
} from '../registry.js';
import { planRelease, releaseContracts } from '../release.js';
import { checkWorkingTree } from '../working-tree.js';

const COMMON = `
Side:
  title: Side
  description: Buy or sell.
  type: string
  enum: [buy, sell]
EventHeaders:
  title: EventHeaders
  type: object
  required: [ce-id]
  properties:
    ce-id: { type: string, description: Event id. }
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
    x-service: tester
    channel: { $ref: '#/channels/ordersPlaced' }
  receiveOrderPlaced:
    action: receive
    x-service: watcher
    x-durable: watcher-orders
    channel: { $ref: '#/channels/ordersPlaced' }
components:
  messages:
    OrderPlaced:
      x-subject: orders.placed
      x-version: 1.0.0
      x-compatibility: BACKWARD_TRANSITIVE
      x-owner: tester
      headers: { $ref: '../common/schemas.yaml#/EventHeaders' }
      payload: { $ref: '#/components/schemas/OrderPlaced' }
  schemas:
    OrderPlaced:
      title: OrderPlaced
      description: An order.
      type: object
      additionalProperties: false
      required: [id, side]
      properties:
        id: { type: string, description: Order id. }
        side: { $ref: '../common/schemas.yaml#/Side' }
`;

const ORDERS_FILE = 'contracts/orders/orders.asyncapi.yaml';
const COMMON_FILE = 'contracts/common/schemas.yaml';
const SNAPSHOT = snapshotPath('orders.placed', '1.0.0');

const dirs: string[] = [];
function repo(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'compat-registry-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'contracts/orders'), { recursive: true });
  mkdirSync(path.join(root, 'contracts/common'), { recursive: true });
  writeFileSync(path.join(root, 'contracts/platform.yaml'), 'info: { title: T, version: 1.0.0 }\n');
  writeFileSync(path.join(root, COMMON_FILE), COMMON);
  writeFileSync(path.join(root, ORDERS_FILE), ORDERS);
  return root;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');
const edit = (root: string, file: string, change: (text: string) => string) =>
  writeFileSync(path.join(root, file), change(read(root, file)));
const setVersion = (version: string) => (s: string) => s.replace(/x-version: \S+/, `x-version: ${version}`);
const addOptional = (s: string) =>
  s.replace(
    '        id: { type: string, description: Order id. }',
    '        id: { type: string, description: Order id. }\n        note: { type: string, description: A note. }',
  );
const addRequired = (s: string) => addOptional(s).replace('required: [id, side]', 'required: [id, side, note]');

/** A repository with orders.placed 1.0.0 released. */
async function released(): Promise<string> {
  const root = repo();
  expect((await releaseContracts(root, { regenerate: false })).code).toBe(0);
  return root;
}

const gate = (root: string, ...args: string[]) =>
  runCompat(['--root', root, '--format', 'json', ...args], { cwd: root, defaultRoot: root });
const rulesOf = (root: string, ...args: string[]) =>
  (JSON.parse(gate(root, ...args).stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);

describe('snapshots', () => {
  it('freezes the first version with sorted keys, 2-space JSON, a trailing newline and its sha256', async () => {
    const root = repo();
    const outcome = await releaseContracts(root, { regenerate: false });
    expect(outcome).toMatchObject({ code: 0, written: [SNAPSHOT] });
    expect(outcome.lines[0]).toBe('orders.placed: first release, 1.0.0');
    const text = read(root, SNAPSHOT);
    const snapshot = JSON.parse(text) as ReleasedSnapshot;
    expect(Object.keys(snapshot)).toEqual([
      'address',
      'compatibility',
      'contentType',
      'headersSchema',
      'payloadSchema',
      'subject',
      'version',
    ]);
    expect(snapshot).toMatchObject({
      subject: 'orders.placed',
      version: '1.0.0',
      compatibility: 'BACKWARD_TRANSITIVE',
      address: 'orders.placed',
    });
    expect(text).toBe(snapshotText(snapshot));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "address": "orders.placed",\n');
    expect(JSON.parse(read(root, CHECKSUMS_FILE))).toEqual({ [SNAPSHOT]: sha256(text) });
    expect(verifyRegistry(root)).toEqual([]);
    expect(await releaseContracts(root, { regenerate: false })).toMatchObject({ code: 0, written: [] });
  });

  it('lists versions in semver order and never overwrites one', async () => {
    const root = await released();
    const base = readSnapshot(root, 'orders.placed', '1.0.0');
    writeSnapshots(
      root,
      ['1.10.0', '1.9.0', '1.2.0'].map((version) => ({ ...base, version })),
    );
    expect(listReleased(root)).toEqual(new Map([['orders.placed', ['1.0.0', '1.2.0', '1.9.0', '1.10.0']]]));
    expect(() => writeSnapshots(root, [{ ...base, version: '1.9.0' }])).toThrow(
      /already released; released snapshots are never overwritten/,
    );
    expect(verifyRegistry(root)).toEqual([]);
  });
});

describe('checksums', () => {
  const changedMessages = (root: string) => verifyRegistry(root).map((f) => `${f.rule}: ${f.message}`);

  it('detects a changed snapshot, and the gate fails whatever the mode', async () => {
    const root = await released();
    edit(root, SNAPSHOT, (s) => s.replace('"enum": [\n', '"enum": [\n            "hold",\n'));
    expect(changedMessages(root)).toEqual([expect.stringMatching(/^released-snapshot-changed: .*1\.0\.0\.json changed after its release/)]);
    for (const mode of ['BACKWARD_TRANSITIVE', 'NONE']) {
      const result = gate(root, '--mode', mode);
      expect(result.code, mode).toBe(1);
      expect(JSON.parse(result.stdout).findings).toContainEqual(
        expect.objectContaining({ rule: 'released-snapshot-changed', subject: 'orders.placed' }),
      );
    }
  });

  it('detects a snapshot added by hand, a deleted one and a broken checksums file', async () => {
    const root = await released();
    const handMade = snapshotPath('orders.placed', '1.0.1');
    writeFileSync(path.join(root, handMade), read(root, SNAPSHOT).replace('"version": "1.0.0"', '"version": "1.0.1"'));
    expect(changedMessages(root)).toEqual([expect.stringContaining(`${handMade} has no checksum`)]);
    unlinkSync(path.join(root, handMade));
    unlinkSync(path.join(root, SNAPSHOT));
    expect(changedMessages(root)).toEqual([expect.stringContaining(`${SNAPSHOT} is listed in ${CHECKSUMS_FILE} but missing`)]);
    writeFileSync(path.join(root, SNAPSHOT), '{}');
    writeFileSync(path.join(root, CHECKSUMS_FILE), '{ not json');
    expect(changedMessages(root)).toEqual([expect.stringContaining(`${CHECKSUMS_FILE} is missing or not valid JSON`)]);
  });
});

describe('release-contracts: the bump must match the change', () => {
  const problems = (root: string) => planRelease(root).problems;

  it('docs only: patch', async () => {
    const root = await released();
    edit(root, ORDERS_FILE, (s) => s.replace('description: An order.', 'description: An order placed by a strategy.'));
    expect(problems(root)).toEqual([
      'orders.placed: the change is docs only (the schemas changed, no rule fired): set x-version to 1.0.1 (it is 1.0.0)',
    ]);
    const refused = await releaseContracts(root, { regenerate: false });
    expect(refused.code).toBe(1);
    expect(refused.lines.at(-1)).toBe('nothing was released');
    expect(listReleased(root).get('orders.placed')).toEqual(['1.0.0']);
    edit(root, ORDERS_FILE, setVersion('1.0.1'));
    expect(await releaseContracts(root, { regenerate: false })).toMatchObject({
      code: 0,
      written: [snapshotPath('orders.placed', '1.0.1')],
    });
  });

  it('additive: minor (an optional field, an extended enum)', async () => {
    const root = await released();
    edit(root, ORDERS_FILE, addOptional);
    expect(problems(root)).toEqual([
      'orders.placed: the change is additive (property-added at /payload/properties/note): set x-version to 1.1.0 (it is 1.0.0)',
    ]);
    edit(root, ORDERS_FILE, (s) => s.replace(/ {8}note: .*\n/, ''));
    edit(root, COMMON_FILE, (s) => s.replace('enum: [buy, sell]', 'enum: [buy, sell, hold]'));
    expect(problems(root)).toEqual([
      'orders.placed: the change is additive (enum-extended at /payload/properties/side/enum): set x-version to 1.1.0 (it is 1.0.0)',
    ]);
  });

  it('breaking: major (a new required field, a weakened mode)', async () => {
    const root = await released();
    edit(root, ORDERS_FILE, addRequired);
    expect(problems(root)).toEqual([
      'orders.placed: the change is breaking (required-added at /payload/properties/note): set x-version to 2.0.0 (it is 1.0.0)',
    ]);
    edit(root, ORDERS_FILE, (s) => s.replace('required: [id, side, note]', 'required: [id, side]').replace(/ {8}note: .*\n/, ''));
    edit(root, ORDERS_FILE, (s) => s.replace('x-compatibility: BACKWARD_TRANSITIVE', 'x-compatibility: BACKWARD'));
    expect(problems(root)).toEqual([
      'orders.placed: the change is breaking (mode-weakened at /x-compatibility): set x-version to 2.0.0 (it is 1.0.0)',
    ]);
  });

  it('refuses a bump when nothing changed', async () => {
    const root = await released();
    edit(root, ORDERS_FILE, setVersion('1.0.1'));
    expect(problems(root)).toEqual(['orders.placed: nothing changed since 1.0.0: set x-version back to 1.0.0 (it is 1.0.1)']);
  });

  it('writes the snapshot and its checksum, and regenerates generated/ with the new version', async () => {
    const root = await released();
    edit(root, ORDERS_FILE, (s) => setVersion('1.1.0')(addOptional(s)));
    expect(gate(root).code).toBe(0);
    expect(rulesOf(root)).toEqual(['version-unreleased', 'property-added']);
    const outcome = await releaseContracts(root);
    expect(outcome.lines).toEqual([
      'orders.placed: 1.0.0 -> 1.1.0, additive (property-added at /payload/properties/note)',
      `wrote ${snapshotPath('orders.placed', '1.1.0')}`,
      expect.stringMatching(/^regenerated \d+ files/),
    ]);
    expect(read(root, 'generated/registry.ts')).toContain('"version": "1.1.0"');
    expect(Object.keys(JSON.parse(read(root, CHECKSUMS_FILE)))).toEqual([SNAPSHOT, snapshotPath('orders.placed', '1.1.0')]);
    expect(verifyRegistry(root)).toEqual([]);
    expect(rulesOf(root)).toEqual([]);
  });
});

describe('the working-tree check against the registry', () => {
  it('asks for a bump when a released version changes', async () => {
    const root = await released();
    edit(root, ORDERS_FILE, addOptional);
    const result = gate(root);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings[0]).toMatchObject({
      rule: 'released-version-modified',
      pointer: '/payload',
      message: expect.stringContaining('bump x-version'),
    });
  });

  it('checks every release of the major for transitive modes and only the latest otherwise', async () => {
    const root = await released();
    // 1.0.0 allowed "hold"; 1.1.0 dropped it (released while the subject was NONE, say).
    const current = readSnapshot(root, 'orders.placed', '1.0.0');
    rmSync(path.join(root, 'contracts/released'), { recursive: true });
    const withHold = JSON.parse(JSON.stringify(current)) as ReleasedSnapshot;
    (withHold.payloadSchema.definitions as { Side: { enum: string[] } }).Side.enum.push('hold');
    writeSnapshots(root, [withHold, { ...current, version: '1.1.0' }]);
    edit(root, ORDERS_FILE, (s) => setVersion('1.2.0')(addOptional(s)));
    const transitive = JSON.parse(gate(root).stdout);
    expect(transitive.compatible).toBe(false);
    expect(transitive.findings).toContainEqual(
      expect.objectContaining({
        rule: 'enum-narrowed',
        pointer: '/payload/properties/side/enum',
        message: expect.stringMatching(/\(against released 1\.0\.0\)$/),
      }),
    );
    expect(gate(root, '--mode', 'BACKWARD').code).toBe(0);
  });

  it('needs no compatibility with an older major, but fails a removed subject and a version going back', async () => {
    const root = await released();
    edit(root, ORDERS_FILE, (s) => setVersion('2.0.0')(addRequired(s)));
    expect(gate(root).code).toBe(0);
    expect(rulesOf(root)).toEqual(['version-unreleased']);
    await releaseContracts(root, { regenerate: false });
    edit(root, ORDERS_FILE, setVersion('1.0.0'));
    expect(rulesOf(root)).toContain('version-regressed');
    expect(gate(root).code).toBe(1);
    edit(root, ORDERS_FILE, (s) =>
      s.replace('x-subject: orders.placed', 'x-subject: orders.created').replace('address: orders.placed', 'address: orders.created'),
    );
    const removed = JSON.parse(gate(root).stdout);
    expect(removed.findings).toContainEqual(
      expect.objectContaining({ subject: 'orders.placed', rule: 'subject-removed', breaks: ['BACKWARD', 'FORWARD'] }),
    );
  });
});

describe('retiring a subject', () => {
  it('fails a removal, but passes it after a new major released with x-compatibility NONE', async () => {
    const root = await released();
    const orders = read(root, ORDERS_FILE);
    unlinkSync(path.join(root, ORDERS_FILE));
    expect(gate(root).code).toBe(1);
    writeFileSync(
      path.join(root, ORDERS_FILE),
      setVersion('2.0.0')(orders.replace('x-compatibility: BACKWARD_TRANSITIVE', 'x-compatibility: NONE')),
    );
    expect(gate(root).code).toBe(0);
    expect((await releaseContracts(root, { regenerate: false })).lines[0]).toBe(
      'orders.placed: 1.0.0 -> 2.0.0, breaking (mode-weakened at /x-compatibility)',
    );
    unlinkSync(path.join(root, ORDERS_FILE));
    const result = gate(root);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).findings).toEqual([
      expect.objectContaining({ rule: 'subject-removed', breaks: ['BACKWARD', 'FORWARD'] }),
    ]);
  });
});

describe('the merge-base check (git history)', () => {
  const git = (root: string, ...args: string[]) => {
    const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  };

  it('fails a snapshot modified since the merge base even with a matching checksum, and diffs asyncapi.yaml', async () => {
    const root = repo();
    await releaseContracts(root); // also writes generated/ and asyncapi.yaml
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'release 1.0.0');
    git(root, 'checkout', '-q', '-b', 'feature');
    expect(checkWorkingTree(root).findings).toEqual([]);

    // Re-sign a tampered snapshot: the checksums agree, git history does not.
    edit(root, SNAPSHOT, (s) => s.replace('"description": "An order."', '"description": "Rewritten history."'));
    edit(root, CHECKSUMS_FILE, () => `${JSON.stringify({ [SNAPSHOT]: sha256(read(root, SNAPSHOT)) }, null, 2)}\n`);
    expect(verifyRegistry(root)).toEqual([]);
    const tampered = checkWorkingTree(root);
    expect(tampered.compatible).toBe(false);
    expect(tampered.findings).toContainEqual(
      expect.objectContaining({ rule: 'released-snapshot-changed', message: expect.stringContaining('was modified since the merge base') }),
    );
    git(root, 'checkout', '-q', '--', 'contracts/released');

    // Dropping the send operation changes no schema: only the asyncapi.yaml diff sees it.
    edit(root, ORDERS_FILE, (s) => s.replace(/ {2}sendOrderPlaced:\n(.*\n){3}/, ''));
    writeGenerated(root, await generateAll({ rootDir: root }));
    const result = checkWorkingTree(root);
    expect(result.compatible).toBe(false);
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'operation-removed', pointer: '/operations/sendOrderPlaced', subject: 'orders.placed' }),
    ]);
  });

  it('skips the merge-base step silently without git', async () => {
    const root = await released();
    expect(checkWorkingTree(root)).toMatchObject({ compatible: true, findings: [] });
  });
});
