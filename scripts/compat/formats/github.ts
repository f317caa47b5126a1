// `--format github`: GitHub Actions workflow commands, so findings show as annotations on the
// pull request's files. `::error` fails the gate, `::warning` does not.
import { counts, type Report, type ReportedFinding } from '../report.js';

/** Escaping from the workflow-commands spec: data escapes %, CR, LF; property values also `:` and `,`. */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

function annotation(finding: ReportedFinding): string {
  const properties = [
    ...(finding.file ? [`file=${escapeProperty(finding.file)}`] : []),
    ...(finding.file && finding.line ? [`line=${finding.line}`] : []),
    `title=${escapeProperty(finding.rule)}`,
  ].join(',');
  const breaks = finding.breaks.length > 0 ? ` (breaks ${finding.breaks.join(', ')})` : '';
  const where = finding.pointer ? `${finding.subject} ${finding.pointer}` : finding.subject;
  return `::${finding.failing ? 'error' : 'warning'} ${properties}::${escapeData(`${where}: ${finding.message}${breaks}`)}`;
}

export function formatGithub(report: Report): string {
  const { errors, warnings } = counts(report);
  const summary = `compat: ${report.compatible ? 'compatible' : 'INCOMPATIBLE'} (${errors} errors, ${warnings} warnings, ${report.subjects.length} subjects)`;
  return `${[...report.findings.map(annotation), summary].join('\n')}\n`;
}
