// `make release-contracts`: freezes every changed subject as a new released version, provided its
// x-version is exactly the bump the change needs (breaking: major, additive: minor, docs only:
// patch), then regenerates so generated/ names the new versions. Writes nothing when any is wrong.
import { generateAll } from '../codegen/generate-all.js';
import { writeGenerated } from '../codegen/write-files.js';
import { isFailing, type JudgedFinding } from './findings.js';
import { listReleased, type ReleasedSnapshot, readSnapshot, toSnapshot, verifyRegistry, writeSnapshots } from './registry.js';
import { type Bump, bumpSemver, majorOf } from './semver.js';
import { releaseContent, type SideSubject } from './subject.js';
import { compareSubjects } from './subject-diff.js';
import { isTransitive, type Policy } from './types.js';
import { loadWorkingTree } from './working-tree.js';

export interface ReleasePlan {
  /** Snapshots to write. */
  releases: ReleasedSnapshot[];
  /** What will happen, one line per subject that changes. */
  notes: string[];
  /** Why nothing can be written yet; empty when the release may go ahead. */
  problems: string[];
}

export interface Classification {
  bump: Bump;
  /** `breaking (enum-narrowed at /payload/properties/side)`, `additive (...)`, `docs only`. */
  reason: string;
}

/** The bump a change needs, judged against the released versions it must stay compatible with. */
export function classifyChange(baseline: readonly ReleasedSnapshot[], subject: SideSubject, policy?: Policy): Classification {
  const findings: JudgedFinding[] = baseline.flatMap((snapshot) => compareSubjects(snapshot, subject, { policy }));
  const breaking = findings.find(isFailing);
  if (breaking) return { bump: 'major', reason: `breaking (${breaking.rule} at ${breaking.pointer || '(subject)'})` };
  const first = findings[0];
  if (first) return { bump: 'minor', reason: `additive (${first.rule} at ${first.pointer || '(subject)'})` };
  return { bump: 'patch', reason: 'docs only (the schemas changed, no rule fired)' };
}

export function planRelease(root: string, policy?: Policy): ReleasePlan {
  const plan: ReleasePlan = { releases: [], notes: [], problems: [] };
  for (const finding of verifyRegistry(root)) plan.problems.push(`${finding.message} (fix the registry before releasing)`);
  const released = listReleased(root);
  for (const subject of loadWorkingTree(root)) {
    const name = subject.subject;
    const version = subject.version as string;
    const versions = released.get(name) ?? [];
    const latest = versions[versions.length - 1];
    if (latest === undefined) {
      plan.releases.push(toSnapshot({ ...subject, version }));
      plan.notes.push(`${name}: first release, ${version}`);
      continue;
    }
    const latestSnapshot = readSnapshot(root, name, latest);
    if (releaseContent(latestSnapshot) === releaseContent(subject)) {
      if (version !== latest)
        plan.problems.push(`${name}: nothing changed since ${latest}: set x-version back to ${latest} (it is ${version})`);
      continue;
    }
    const line = versions.filter((v) => majorOf(v) === majorOf(latest));
    const baseline = (isTransitive(subject.compatibility) ? line : [latest]).map((v) => readSnapshot(root, name, v));
    const { bump, reason } = classifyChange(baseline, subject, policy);
    const expected = bumpSemver(latest, bump);
    if (version !== expected) {
      plan.problems.push(`${name}: the change is ${reason}: set x-version to ${expected} (it is ${version})`);
      continue;
    }
    plan.releases.push(toSnapshot({ ...subject, version }));
    plan.notes.push(`${name}: ${latest} -> ${version}, ${reason}`);
  }
  return plan;
}

export interface ReleaseOutcome {
  code: 0 | 1;
  lines: string[];
  written: string[];
}

export async function releaseContracts(root: string, options: { policy?: Policy; regenerate?: boolean } = {}): Promise<ReleaseOutcome> {
  const plan = planRelease(root, options.policy);
  if (plan.problems.length > 0) return { code: 1, lines: [...plan.problems, 'nothing was released'], written: [] };
  if (plan.releases.length === 0)
    return { code: 0, lines: ['nothing to release: every subject matches its latest released version'], written: [] };
  const written = writeSnapshots(root, plan.releases);
  const lines = [...plan.notes, ...written.map((file) => `wrote ${file}`)];
  if (options.regenerate !== false) {
    const files = await generateAll({ rootDir: root });
    const { changed } = writeGenerated(root, files);
    lines.push(`regenerated ${files.size} files (${changed.length} changed)`);
  }
  return { code: 0, lines, written };
}
