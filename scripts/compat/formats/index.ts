// The output formats of the CLI, by name.
import type { Report } from '../report.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

export const FORMATS = {
  text: formatText,
  json: formatJson,
  github: formatGithub,
  junit: formatJunit,
  sarif: formatSarif,
} as const satisfies Record<string, (report: Report) => string>;

export type Format = keyof typeof FORMATS;

export function isFormat(value: string): value is Format {
  return Object.hasOwn(FORMATS, value);
}
