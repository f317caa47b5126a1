// A check's outcome as every output format sees it: each finding judged (does it fail the gate?)
// and, when a locator is given, placed at a file and line.
import { bySubject, isFailing, type JudgedFinding } from './findings.js';
import type { SourceLocator } from './locate.js';
import type { CompatibilityMode, Finding } from './types.js';

export interface ReportedFinding extends Finding {
  /** Breaks a direction its mode requires (or an integrity rule): fails the gate. */
  failing: boolean;
  mode: CompatibilityMode;
  file?: string;
  line?: number;
}

export interface Report {
  compatible: boolean;
  findings: ReportedFinding[];
  /** Every subject checked, including those without findings. */
  subjects: string[];
}

export function buildReport(findings: readonly JudgedFinding[], subjects: readonly string[], locator?: SourceLocator): Report {
  const reported = bySubject(findings).map((finding): ReportedFinding => {
    const { where, ...rest } = finding;
    const location = where && locator?.locate(where);
    return { ...rest, failing: isFailing(finding), ...(location ?? {}) };
  });
  const allSubjects = [...new Set([...subjects, ...reported.map((f) => f.subject)])].sort();
  return { compatible: !reported.some((f) => f.failing), findings: reported, subjects: allSubjects };
}

export function counts(report: Report): { errors: number; warnings: number; subjectsWithErrors: number } {
  const errors = report.findings.filter((f) => f.failing);
  return {
    errors: errors.length,
    warnings: report.findings.length - errors.length,
    subjectsWithErrors: new Set(errors.map((f) => f.subject)).size,
  };
}

export function breaksText(finding: Finding): string {
  return finding.breaks.length === 0 ? 'breaks nothing' : `breaks ${finding.breaks.join(', ')}`;
}
