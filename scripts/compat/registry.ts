// The registry of released versions: immutable snapshots in contracts/released/<subject>/<version>.json
// and contracts/released/checksums.json (snapshot path -> sha256), so transitive checks need no
// git history and a changed snapshot is caught even in a shallow clone.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isObject, type JsonObject, sortKeys } from '../codegen/json.js';
import { writeAtomically } from '../codegen/write-files.js';
import { InputError } from './errors.js';
import type { JudgedFinding } from './findings.js';
import { isMode } from './modes.js';
import { isSemver, sortSemver } from './semver.js';
import { DEFAULT_MODE, type SubjectSnapshot } from './subject.js';

export const RELEASED_DIR = 'contracts/released';
export const CHECKSUMS_FILE = `${RELEASED_DIR}/checksums.json`;
/** Files in contracts/released/ that are not snapshots. */
const NOT_SNAPSHOTS = new Set([CHECKSUMS_FILE, `${RELEASED_DIR}/README.md`]);

export interface ReleasedSnapshot extends SubjectSnapshot {
  version: string;
}

/** Repository-relative path of a snapshot; the subject is URI-encoded so `a#B` stays one directory. */
export function snapshotPath(subject: string, version: string): string {
  return `${RELEASED_DIR}/${encodeURIComponent(subject)}/${version}.json`;
}

/** Sorted keys, 2-space indentation, trailing newline: one byte sequence per snapshot, so its checksum is stable. */
export function snapshotText(snapshot: ReleasedSnapshot): string {
  const { subject, version, compatibility, contentType, address, payloadSchema, headersSchema } = snapshot;
  const fields: JsonObject = { subject, version, compatibility, contentType, address, payloadSchema };
  if (headersSchema !== undefined) fields.headersSchema = headersSchema;
  return `${JSON.stringify(sortKeys(fields), null, 2)}\n`;
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Every released subject with its versions, oldest first (semver order, not string order). */
export function listReleased(root: string): Map<string, string[]> {
  const released = new Map<string, string[]>();
  const dir = path.join(root, RELEASED_DIR);
  if (!existsSync(dir)) return released;
  for (const entry of readdirSync(dir).sort()) {
    if (!statSync(path.join(dir, entry)).isDirectory()) continue;
    const versions = readdirSync(path.join(dir, entry))
      .filter((file) => file.endsWith('.json') && isSemver(file.slice(0, -'.json'.length)))
      .map((file) => file.slice(0, -'.json'.length));
    if (versions.length > 0) released.set(decodeURIComponent(entry), sortSemver(versions));
  }
  return released;
}

export function readSnapshot(root: string, subject: string, version: string): ReleasedSnapshot {
  const rel = snapshotPath(subject, version);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path.join(root, rel), 'utf8'));
  } catch (cause) {
    throw new InputError(rel, `cannot read the released snapshot: ${(cause as Error).message}`, { cause });
  }
  const problem = snapshotProblem(value, subject, version);
  if (problem) throw new InputError(rel, problem);
  return value as ReleasedSnapshot;
}

function snapshotProblem(value: unknown, subject: string, version: string): string | undefined {
  if (!isObject(value)) return 'a snapshot must be a JSON object';
  if (value.subject !== subject || value.version !== version) return `holds ${value.subject} ${value.version}, not ${subject} ${version}`;
  if (!isMode(value.compatibility)) return `unknown compatibility ${JSON.stringify(value.compatibility)}`;
  if (!isObject(value.payloadSchema)) return 'payloadSchema is missing';
  return undefined;
}

/** The checksums file, or undefined when it is missing or unreadable. */
export function readChecksums(root: string): Record<string, string> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path.join(root, CHECKSUMS_FILE), 'utf8'));
    return isObject(value) && Object.values(value).every((v) => typeof v === 'string') ? (value as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

function releasedFiles(root: string): string[] {
  const dir = path.join(root, RELEASED_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => `${RELEASED_DIR}/${file.split(path.sep).join('/')}`)
    .filter((file) => !NOT_SNAPSHOTS.has(file) && statSync(path.join(root, file)).isFile())
    .sort();
}

function snapshotChanged(root: string, file: string, message: string): JudgedFinding {
  const subject = decodeURIComponent(file.split('/')[2] ?? RELEASED_DIR);
  return {
    subject: file === CHECKSUMS_FILE ? RELEASED_DIR : subject,
    pointer: '',
    rule: 'released-snapshot-changed',
    breaks: ['BACKWARD', 'FORWARD'],
    message,
    mode: DEFAULT_MODE,
    where: { file: path.join(root, file), base: '', pointer: '' },
  };
}

/** Every snapshot changed, added by hand or deleted since its release; fails the gate whatever the mode. */
export function verifyRegistry(root: string): JudgedFinding[] {
  const files = releasedFiles(root);
  const checksums = readChecksums(root);
  if (checksums === undefined) {
    if (files.length === 0) return [];
    return [
      snapshotChanged(
        root,
        CHECKSUMS_FILE,
        `${CHECKSUMS_FILE} is missing or not valid JSON: restore it from git; it is written by make release-contracts only`,
      ),
    ];
  }
  const findings: JudgedFinding[] = [];
  for (const file of files) {
    const content = readFileSync(path.join(root, file));
    const expected = checksums[file];
    if (expected === undefined) {
      findings.push(
        snapshotChanged(
          root,
          file,
          `${file} has no checksum in ${CHECKSUMS_FILE}: snapshots are written by make release-contracts only; remove the file and run make release-contracts`,
        ),
      );
    } else if (expected !== sha256(content)) {
      findings.push(
        snapshotChanged(
          root,
          file,
          `${file} changed after its release (its sha256 differs from ${CHECKSUMS_FILE}): released versions are immutable; restore it and release a new version instead`,
        ),
      );
    } else {
      const [, , dir = '', name = ''] = file.split('/');
      let problem: string | undefined;
      try {
        problem = snapshotProblem(JSON.parse(content.toString('utf8')), decodeURIComponent(dir), name.replace(/\.json$/, ''));
      } catch {
        problem = 'not valid JSON';
      }
      if (problem) findings.push(snapshotChanged(root, file, `${file} is not a valid snapshot (${problem}): restore it`));
    }
  }
  for (const file of Object.keys(checksums).filter((f) => !files.includes(f))) {
    findings.push(
      snapshotChanged(root, file, `${file} is listed in ${CHECKSUMS_FILE} but missing: released versions are never deleted; restore it`),
    );
  }
  return findings;
}

/** Writes new snapshots (each through a temp file and a rename), then their checksums. Never overwrites. */
export function writeSnapshots(root: string, snapshots: readonly ReleasedSnapshot[]): string[] {
  const written: string[] = [];
  for (const snapshot of snapshots) {
    const rel = snapshotPath(snapshot.subject, snapshot.version);
    if (existsSync(path.join(root, rel))) throw new InputError(rel, 'is already released; released snapshots are never overwritten');
  }
  const checksums = readChecksums(root) ?? {};
  for (const snapshot of snapshots) {
    const rel = snapshotPath(snapshot.subject, snapshot.version);
    const text = snapshotText(snapshot);
    writeAtomically(path.join(root, rel), text);
    checksums[rel] = sha256(text);
    written.push(rel);
  }
  writeAtomically(path.join(root, CHECKSUMS_FILE), `${JSON.stringify(sortKeys(checksums), null, 2)}\n`);
  return written;
}

/** What a release freezes of a subject read from the contracts. */
export function toSnapshot(subject: SubjectSnapshot & { version: string }): ReleasedSnapshot {
  const { subject: name, version, compatibility, contentType, address, payloadSchema, headersSchema } = subject;
  return { subject: name, version, compatibility, contentType, address, payloadSchema, headersSchema };
}
