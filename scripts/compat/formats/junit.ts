// `--format junit`: a JUnit XML report for CI test dashboards. One testsuite per subject, one
// failing testcase per breaking finding, a passing one for everything else.
import { breaksText, counts, type Report, type ReportedFinding } from '../report.js';

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

function testcase(finding: ReportedFinding): string {
  const name = escapeXml(`${finding.rule} ${finding.pointer || '(subject)'}`);
  const head = `    <testcase classname="${escapeXml(finding.subject)}" name="${name}"${finding.file ? ` file="${escapeXml(finding.file)}"` : ''}${finding.line ? ` line="${finding.line}"` : ''}>`;
  const detail = escapeXml(`${finding.message} (${breaksText(finding)}; mode ${finding.mode})`);
  const body = finding.failing
    ? `      <failure type="${escapeXml(finding.rule)}" message="${detail}">${detail}</failure>`
    : `      <system-out>${detail}</system-out>`;
  return [head, body, '    </testcase>'].join('\n');
}

export function formatJunit(report: Report): string {
  const { errors } = counts(report);
  const suites = report.subjects.map((subject) => {
    const findings = report.findings.filter((f) => f.subject === subject);
    const failures = findings.filter((f) => f.failing).length;
    const cases = findings.length > 0 ? findings.map(testcase) : [`    <testcase classname="${escapeXml(subject)}" name="compatible"/>`];
    return [
      `  <testsuite name="${escapeXml(subject)}" tests="${cases.length}" failures="${failures}" errors="0">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const tests = report.subjects.reduce((sum, s) => sum + Math.max(1, report.findings.filter((f) => f.subject === s).length), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="contract compatibility" tests="${tests}" failures="${errors}" errors="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
