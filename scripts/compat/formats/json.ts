// `--format json`: exactly `{ compatible, findings: [{ subject, pointer, rule, breaks, message }] }`;
// other tooling parses it, so nothing else is added.
import type { Report } from '../report.js';

export function formatJson(report: Report): string {
  const findings = report.findings.map(({ subject, pointer, rule, breaks, message }) => ({ subject, pointer, rule, breaks, message }));
  return `${JSON.stringify({ compatible: report.compatible, findings }, null, 2)}\n`;
}
