// The working-tree check (`make compat`): the released snapshots are intact, every subject in
// contracts/ is compatible with its released versions, and, when git history is at hand, nothing
// changed since the merge base that the registry cannot see (channels, operations, snapshots).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadContracts } from '../codegen/load.js';
import { readIfExists } from '../codegen/write-files.js';
import { diffSides, subjectRemoved } from './asyncapi-diff.js';
import { readAsyncApiSide } from './asyncapi-side.js';
import { InputError } from './errors.js';
import { isCompatibleResult, type JudgedFinding } from './findings.js';
import { changedSince, mergeBase, showAt } from './git.js';
import { CHECKSUMS_FILE, listReleased, RELEASED_DIR, readSnapshot, snapshotPath, verifyRegistry } from './registry.js';
import { checkAgainstReleases } from './released-check.js';
import { loadSide } from './side.js';
import type { SideSubject } from './subject.js';
import type { CompatibilityMode, Policy } from './types.js';

export interface WorkingTreeOptions {
  /** `--mode`: overrides every subject's declared mode. */
  mode?: CompatibilityMode;
  policy?: Policy;
  /** Compare with the merge base too (c); on by default, skipped silently without git history. */
  git?: boolean;
}

export interface CheckResult {
  compatible: boolean;
  findings: JudgedFinding[];
  /** Every subject checked, for reports that list the passing ones too. */
  subjects: string[];
}

/** Every subject of the contracts under `root`, read the way the generator reads them. */
export function loadWorkingTree(root: string): SideSubject[] {
  const set = loadContracts(root);
  return set.documents.flatMap((d) => readAsyncApiSide(set.cache, d.file, d.relativePath).subjects);
}

export function checkWorkingTree(root: string, options: WorkingTreeOptions = {}): CheckResult {
  const findings = verifyRegistry(root);
  const current = loadWorkingTree(root);
  const released = listReleased(root);
  for (const subject of current) findings.push(...checkAgainstReleases(root, subject, released.get(subject.subject) ?? [], options));
  for (const [subject, versions] of released) {
    if (current.some((s) => s.subject === subject)) continue;
    const latest = versions[versions.length - 1] as string;
    const mode = options.mode ?? safeMode(root, subject, latest);
    findings.push(subjectRemoved(subject, mode, { file: path.join(root, snapshotPath(subject, latest)), base: '', pointer: '' }));
  }
  if (options.git !== false) {
    const seen = new Set(findings.map(key));
    findings.push(...sinceMergeBase(root, options).filter((f) => !seen.has(key(f))));
  }
  const subjects = [...new Set([...current.map((s) => s.subject), ...released.keys()])].sort();
  return { compatible: isCompatibleResult(findings), findings, subjects };
}

const key = (f: JudgedFinding) => `${f.subject}|${f.rule}|${f.pointer}`;

function safeMode(root: string, subject: string, version: string): CompatibilityMode {
  try {
    return readSnapshot(root, subject, version).compatibility;
  } catch {
    return 'BACKWARD_TRANSITIVE';
  }
}

/** (c): snapshots modified or deleted since the merge base, and the bundled asyncapi.yaml then and now. */
function sinceMergeBase(root: string, options: WorkingTreeOptions): JudgedFinding[] {
  const base = mergeBase(root);
  if (base === undefined) return [];
  const short = base.slice(0, 12);
  const findings: JudgedFinding[] = [];
  for (const { status, file } of changedSince(root, base, RELEASED_DIR)) {
    if (status === 'A' || file === CHECKSUMS_FILE || file === `${RELEASED_DIR}/README.md`) continue;
    findings.push({
      subject: decodeURIComponent(file.split('/')[2] ?? RELEASED_DIR),
      pointer: '',
      rule: 'released-snapshot-changed',
      breaks: ['BACKWARD', 'FORWARD'],
      message: `${file} was ${status === 'D' ? 'deleted' : 'modified'} since the merge base ${short}: released snapshots are immutable; restore it (git checkout ${short} -- ${file})`,
      mode: 'BACKWARD_TRANSITIVE',
      where: { file: path.join(root, file), base: '', pointer: '' },
    });
  }
  const before = showAt(root, base, 'asyncapi.yaml');
  const now = readIfExists(path.join(root, 'asyncapi.yaml'));
  if (before === undefined || now === undefined || before === now) return findings;
  const dir = mkdtempSync(path.join(tmpdir(), 'compat-base-'));
  try {
    writeFileSync(path.join(dir, 'asyncapi.yaml'), before);
    const old = loadSide(path.join(dir, 'asyncapi.yaml'), `git:${short}:asyncapi.yaml`, dir);
    const next = loadSide(path.join(root, 'asyncapi.yaml'), 'asyncapi.yaml', root);
    findings.push(...diffSides(old, next, options));
  } catch (error) {
    // An unreadable bundle at the merge base is history, not this change; (b) has checked the contracts.
    if (!(error instanceof InputError)) throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return findings;
}
