// Compares one subject across two versions: metadata a consumer depends on (address, content
// type, declared mode), then the payload and headers schemas with the JSON Schema engine.
import type { JsonObject } from '../codegen/json.js';
import type { FindingSource, JudgedFinding } from './findings.js';
import { weakens } from './modes.js';
import { diffSchemas } from './schema-diff.js';
import { comparableSchema, type SideSubject, type SubjectSnapshot } from './subject.js';
import type { CompatibilityMode, Direction, Policy, SchemaFinding } from './types.js';

const BOTH: Direction[] = ['BACKWARD', 'FORWARD'];

export interface SubjectDiffOptions {
  policy?: Policy;
  /** `--mode`: judge every finding under this mode instead of the declared ones. */
  mode?: CompatibilityMode;
  /** Prefix for payload pointers: `/payload` for messages, '' for a plain JSON Schema file. */
  payloadPrefix?: string;
  /** Off when the channel-level diff already reported an address change for the same channel. */
  checkAddress?: boolean;
}

export function compareSubjects(old: SubjectSnapshot, next: SideSubject, options: SubjectDiffOptions = {}): JudgedFinding[] {
  const { policy, payloadPrefix = '/payload', checkAddress = true } = options;
  const mode = options.mode ?? next.compatibility;
  const findings: JudgedFinding[] = [];
  const add = (finding: SchemaFinding, judgedUnder: CompatibilityMode = mode): void => {
    findings.push({ subject: next.subject, ...finding, mode: judgedUnder, where: sourceOf(next, finding.pointer) });
  };

  if (checkAddress && old.address !== next.address) {
    add({
      pointer: '/address',
      rule: 'channel-address-changed',
      breaks: BOTH,
      message: `the channel address changed from ${old.address} to ${next.address}: producers and consumers on the old address no longer meet; keep the address and add a new channel instead`,
    });
  }
  if (old.contentType !== next.contentType) {
    add({
      pointer: '/contentType',
      rule: 'content-type-changed',
      breaks: BOTH,
      message: `the content type changed from ${old.contentType} to ${next.contentType}: no consumer can decode both; publish the new encoding on a new subject (or a new major version)`,
    });
  }
  if (weakens(old.compatibility, next.compatibility)) {
    // Judged under the old mode: consumers relied on the guarantee it gave, whatever the new one says.
    add(
      {
        pointer: '/x-compatibility',
        rule: 'mode-weakened',
        breaks: BOTH,
        message: `x-compatibility weakened from ${old.compatibility} to ${next.compatibility}, which silently drops guarantees consumers rely on; keep ${old.compatibility} (strengthening is fine) or release a new major version`,
      },
      options.mode ?? old.compatibility,
    );
  }
  for (const finding of diffSchemas(comparableSchema(old.payloadSchema), comparableSchema(next.payloadSchema), { policy })) {
    add({ ...finding, pointer: `${payloadPrefix}${finding.pointer}` });
  }
  if (old.headersSchema !== undefined || next.headersSchema !== undefined) {
    const oldHeaders = comparableSchema(old.headersSchema) ?? ({} as JsonObject);
    const newHeaders = comparableSchema(next.headersSchema) ?? ({} as JsonObject);
    for (const finding of diffSchemas(oldHeaders, newHeaders, { policy })) add({ ...finding, pointer: `/headers${finding.pointer}` });
  }
  return findings;
}

function sourceOf(subject: SideSubject, pointer: string): FindingSource | undefined {
  return subject.source === undefined ? undefined : { ...subject.source, pointer };
}
