// Findings as the gate judges them: each carries the mode it is judged under and, when known,
// where in a source file it comes from (for annotations), resolved lazily by locate.ts.
import type { RefTarget } from '../codegen/load.js';
import { type CompatibilityMode, directionsOf, type Finding } from './types.js';

/** A place to point a reader at: a pointer walked from `base` in `file`, following `$ref`s. */
export interface FindingSource {
  /** Absolute path of the document. */
  file: string;
  /** JSON pointer in `file` the finding's pointer is relative to (a message, or '' for the root). */
  base: string;
  /** The pointer to walk from `base` (the finding's pointer for subject findings). */
  pointer: string;
  /** Bundled `#/definitions/<Name>` back to their source, for the payload and the headers schema. */
  definitions?: { payload: ReadonlyMap<string, RefTarget>; headers: ReadonlyMap<string, RefTarget> };
}

export interface JudgedFinding extends Finding {
  /** The mode that decides whether this finding fails the gate. */
  mode: CompatibilityMode;
  where?: FindingSource;
}

/** Integrity of released versions does not depend on a subject's mode: these always fail. */
export const ALWAYS_FAILING_RULES: ReadonlySet<string> = new Set([
  'released-snapshot-changed',
  'released-version-modified',
  'version-regressed',
]);

/** True when the finding breaks a direction its mode requires (or is an integrity rule). */
export function isFailing(finding: JudgedFinding): boolean {
  if (ALWAYS_FAILING_RULES.has(finding.rule)) return true;
  const required = directionsOf(finding.mode);
  return finding.breaks.some((direction) => required.includes(direction));
}

export function isCompatibleResult(findings: readonly JudgedFinding[]): boolean {
  return !findings.some(isFailing);
}

/** Orders findings by subject, failing ones first within a subject, so every report reads the same way. */
export function bySubject(findings: readonly JudgedFinding[]): JudgedFinding[] {
  const order = (f: JudgedFinding) => (isFailing(f) ? 0 : 1);
  return [...findings].sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : order(a) - order(b)));
}
