// The bad-contract drill: in a temporary copy of the repository, an incompatible edit to a real
// contract makes `make compat` exit 1 with a finding whose pointer names the field, and a
// compatible edit (a new optional field, x-version bumped to 1.1.0) passes.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REGISTRY } from '../../../generated/registry.js';
import { runCompat } from '../command.js';
import { isFailing } from '../findings.js';
import { checkWorkingTree } from '../working-tree.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DECISIONS = 'contracts/decisions/decisions.asyncapi.yaml';
const COMMON = 'contracts/common/schemas.yaml';

let copy: string;

/** The repository as `make compat` needs it: contracts, scripts, the Makefile and the package files. */
function copyRepository(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'compat-drill-'));
  for (const entry of ['contracts', 'scripts', 'Makefile', 'package.json', 'package-lock.json', 'tsconfig.json']) {
    cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  // A node_modules of links with a fresh install stamp: make sees it current and never runs
  // `npm ci`, and even if it did, it would only delete links, not the real packages.
  mkdirSync(path.join(dir, 'node_modules'));
  for (const entry of readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry !== '.installed') symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(dir, 'node_modules', entry));
  }
  writeFileSync(path.join(dir, 'node_modules/.installed'), '');
  return dir;
}

function edit(file: string, change: (text: string) => string): void {
  const full = path.join(copy, file);
  const before = readFileSync(full, 'utf8');
  const after = change(before);
  expect(after, `the drill's edit to ${file} applies`).not.toBe(before);
  writeFileSync(full, after);
}

/** Adds a field to OrderIntent; `required` also lists it, which breaks every event already written. */
function addOrderIntentField(required: boolean): (text: string) => string {
  return (text) => {
    const withProperty = text.replace(
      '      properties:\n        clientOrderId:\n',
      '      properties:\n        accountId:\n          description: The trading account the order is for.\n          type: string\n        clientOrderId:\n',
    );
    return required ? withProperty.replace('        - createdAt\n', '        - createdAt\n        - accountId\n') : withProperty;
  };
}
const bumpOrderIntent = (version: string) => (text: string) => text.replace('      x-version: 1.0.0\n', `      x-version: ${version}\n`);

function makeCompat() {
  const env = { ...process.env };
  delete env.MAKEFLAGS;
  delete env.npm_lifecycle_event;
  const result = spawnSync('make', ['--no-print-directory', '-o', 'node_modules/.installed', 'compat'], {
    cwd: copy,
    encoding: 'utf8',
    env,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonReport {
  compatible: boolean;
  findings: { subject: string; pointer: string; rule: string; breaks: string[]; message: string }[];
}
function gate(): { code: number; report: JsonReport } {
  const result = runCompat(['--root', copy, '--format', 'json'], { cwd: copy, defaultRoot: copy });
  expect(result.stderr).toBe('');
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport };
}

beforeAll(() => {
  copy = copyRepository();
});
beforeEach(() => {
  rmSync(path.join(copy, 'contracts'), { recursive: true, force: true });
  cpSync(path.join(ROOT, 'contracts'), path.join(copy, 'contracts'), { recursive: true });
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('the bad-contract drill', () => {
  it('the repository as committed passes the gate', () => {
    // The real repository, merge-base step included: this is the gate `make test` runs.
    const result = checkWorkingTree(ROOT);
    expect(result.findings.filter(isFailing)).toEqual([]);
    expect(result.compatible).toBe(true);
    expect(gate().report).toEqual({ compatible: true, findings: [] });
  });

  it("a new required field in OrderIntent makes `make compat` fail with the gate's exit 1, naming the field", () => {
    edit(DECISIONS, addOrderIntentField(true));
    const result = makeCompat();
    // make itself exits 2 when a recipe fails; "Error 1" is the gate's own exit status.
    expect(result.code, result.stderr).not.toBe(0);
    expect(result.stderr).toMatch(/\[Makefile:\d+: compat\] Error 1$/m);
    expect(result.stdout).toMatch(/^decisions\.order_intent$/m);
    expect(result.stdout).toMatch(
      /error {4}required-added at \/payload\/properties\/accountId \(breaks BACKWARD; mode BACKWARD_TRANSITIVE\)/,
    );
    const line = readFileSync(path.join(copy, DECISIONS), 'utf8').split('\n').indexOf('        accountId:') + 1;
    expect(result.stdout).toContain(`${DECISIONS}:${line}`);
    expect(result.stdout).toMatch(/^INCOMPATIBLE: /m);
  });

  it('bumping the minor version does not make a breaking change pass', () => {
    edit(DECISIONS, (text) => bumpOrderIntent('1.1.0')(addOrderIntentField(true)(text)));
    const { code, report } = gate();
    expect(code).toBe(1);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        subject: 'decisions.order_intent',
        pointer: '/payload/properties/accountId',
        rule: 'required-added',
        breaks: ['BACKWARD'],
      }),
    );
  });

  it('removing a value from the shared Side enum fails every subject that uses it', () => {
    edit(COMMON, (text) => text.replace('  enum: [buy, sell]\n', '  enum: [buy]\n'));
    const { code, report } = gate();
    expect(code).toBe(1);
    const narrowed = report.findings.filter((f) => f.rule === 'enum-narrowed');
    expect(narrowed).toContainEqual(
      expect.objectContaining({ subject: 'decisions.order_intent', pointer: '/payload/properties/side/enum' }),
    );
    expect(narrowed).toContainEqual(expect.objectContaining({ subject: 'executions.fill', pointer: '/payload/properties/side/enum' }));
  });

  it('a new optional field with x-version 1.1.0 passes `make compat`', () => {
    edit(DECISIONS, (text) => bumpOrderIntent('1.1.0')(addOrderIntentField(false)(text)));
    const result = makeCompat();
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^compatible: ${REGISTRY.length} subjects checked, 0 errors, 2 warnings$`, 'm'));
    expect(gate().report.findings.map((f) => [f.subject, f.rule, f.pointer])).toEqual([
      ['decisions.order_intent', 'version-unreleased', '/x-version'],
      ['decisions.order_intent', 'property-added', '/payload/properties/accountId'],
    ]);
  });
});
