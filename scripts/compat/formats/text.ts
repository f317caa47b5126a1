// `--format text`: for people. Findings grouped by subject (errors first), then one summary line.
import { breaksText, counts, type Report, type ReportedFinding } from '../report.js';

function describe(finding: ReportedFinding): string[] {
  const where = finding.file ? `${finding.file}${finding.line ? `:${finding.line}` : ''}` : undefined;
  return [
    `  ${finding.failing ? 'error  ' : 'warning'}  ${finding.rule} at ${finding.pointer || '(subject)'} (${breaksText(finding)}; mode ${finding.mode})`,
    `           ${finding.message}`,
    ...(where ? [`           ${where}`] : []),
  ];
}

export function formatText(report: Report): string {
  const lines: string[] = [];
  for (const subject of report.subjects) {
    const findings = report.findings.filter((f) => f.subject === subject);
    if (findings.length === 0) continue;
    lines.push(subject, ...findings.flatMap(describe), '');
  }
  const { errors, warnings, subjectsWithErrors } = counts(report);
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  lines.push(
    report.compatible
      ? `compatible: ${n(report.subjects.length, 'subject')} checked, ${n(errors, 'error')}, ${n(warnings, 'warning')}`
      : `INCOMPATIBLE: ${n(errors, 'error')} in ${subjectsWithErrors} of ${n(report.subjects.length, 'subject')}, ${n(warnings, 'warning')}`,
  );
  return `${lines.join('\n')}\n`;
}
