// `--format sarif`: SARIF 2.1.0 for code-scanning tools (GitHub code scanning uploads it as is).
import type { Report, ReportedFinding } from '../report.js';
import { ruleDescription } from '../rules.js';

function location(finding: ReportedFinding): object[] {
  if (!finding.file) return [];
  const region = finding.line ? { region: { startLine: finding.line } } : {};
  return [{ physicalLocation: { artifactLocation: { uri: finding.file }, ...region } }];
}

export function formatSarif(report: Report): string {
  const ruleIds = [...new Set(report.findings.map((f) => f.rule))].sort();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'contracts-compat',
            rules: ruleIds.map((id) => ({ id, name: id, shortDescription: { text: ruleDescription(id) } })),
          },
        },
        results: report.findings.map((finding) => ({
          ruleId: finding.rule,
          ruleIndex: ruleIds.indexOf(finding.rule),
          level: finding.failing ? 'error' : 'warning',
          message: { text: `${finding.subject}${finding.pointer ? ` ${finding.pointer}` : ''}: ${finding.message}` },
          locations: location(finding),
          properties: { subject: finding.subject, pointer: finding.pointer, breaks: finding.breaks, mode: finding.mode },
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
