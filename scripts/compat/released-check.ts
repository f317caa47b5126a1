// (b) of the working-tree check for one subject: its x-version against the released versions,
// and its schemas against the released versions of the same major (all of them when the mode
// is transitive, the latest otherwise).
import { InputError } from './errors.js';
import type { JudgedFinding } from './findings.js';
import { type ReleasedSnapshot, readSnapshot, snapshotPath } from './registry.js';
import { compareSemver, majorOf } from './semver.js';
import { firstDifference, type SideSubject } from './subject.js';
import { compareSubjects } from './subject-diff.js';
import { type CompatibilityMode, isTransitive, type Policy } from './types.js';

export interface ReleasedCheckOptions {
  mode?: CompatibilityMode;
  policy?: Policy;
}

export function checkAgainstReleases(
  root: string,
  subject: SideSubject,
  versions: readonly string[],
  options: ReleasedCheckOptions,
): JudgedFinding[] {
  const version = subject.version as string; // loadContracts requires a semver x-version
  const mode = options.mode ?? subject.compatibility;
  const findings: JudgedFinding[] = [];
  const note = (rule: string, breaks: JudgedFinding['breaks'], message: string): void => {
    findings.push({
      subject: subject.subject,
      pointer: '/x-version',
      rule,
      breaks,
      message,
      mode,
      where: subject.source && { ...subject.source, pointer: '/x-version' },
    });
  };
  const latest = versions[versions.length - 1];
  if (latest !== undefined && compareSemver(version, latest) < 0) {
    note(
      'version-regressed',
      ['BACKWARD', 'FORWARD'],
      `x-version ${version} is older than the released ${latest}: versions only go up; set x-version above ${latest}`,
    );
  }

  if (versions.includes(version)) {
    const snapshot = read(root, subject.subject, version);
    const changed = snapshot && firstDifference(snapshot, subject);
    if (snapshot === undefined || changed === undefined) return findings;
    findings.push({
      subject: subject.subject,
      pointer: changed,
      rule: 'released-version-modified',
      breaks: ['BACKWARD', 'FORWARD'],
      message: `${subject.subject} ${version} is released and ${changed.slice(1)} differs from its snapshot (${snapshotPath(subject.subject, version)}): bump x-version (make release-contracts says which bump the change needs)`,
      mode,
      where: subject.source && { ...subject.source, pointer: changed === '/address' ? '' : changed },
    });
    findings.push(...compareSubjects(snapshot, subject, options).map((f) => against(f, [version])));
    return findings;
  }

  note(
    'version-unreleased',
    [],
    `x-version ${version} is not released yet: run make release-contracts when the change is ready (it checks the bump and freezes the snapshot)`,
  );
  const sameMajor = versions.filter((v) => majorOf(v) === majorOf(version));
  // A new major (or a new subject) has nothing of its own major to stay compatible with.
  if (sameMajor.length === 0) return findings;
  const targets = isTransitive(mode) ? sameMajor : sameMajor.slice(-1);
  const merged = new Map<string, { finding: JudgedFinding; versions: string[] }>();
  for (const target of targets) {
    const snapshot = read(root, subject.subject, target);
    if (snapshot === undefined) continue;
    for (const finding of compareSubjects(snapshot, subject, options)) {
      const id = `${finding.rule}|${finding.pointer}|${finding.breaks.join()}`;
      const seen = merged.get(id);
      if (seen) seen.versions.push(target);
      else merged.set(id, { finding, versions: [target] });
    }
  }
  for (const { finding, versions: against_ } of merged.values()) findings.push(against(finding, against_));
  return findings;
}

function against(finding: JudgedFinding, versions: string[]): JudgedFinding {
  return { ...finding, message: `${finding.message} (against released ${versions.join(', ')})` };
}

/** A snapshot, or undefined when it is unreadable: verifyRegistry has already reported that. */
function read(root: string, subject: string, version: string): ReleasedSnapshot | undefined {
  try {
    return readSnapshot(root, subject, version);
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}
