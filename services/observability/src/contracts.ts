// Every event the tap sees is judged against its contract: the subject and the ce-schemaversion
// header pick the contract from the generated registry (generated/registry.ts) and its generated
// validators, and core's decodeEvent applies the same checks the consumers apply (headers, major
// version, payload). Nothing here acks, terminates or dead-letters: the tap only observes.
import { Match } from '@nats-io/transport-node';
import { REGISTRY } from '../../../generated/registry.js';
import * as generatedValidators from '../../../generated/validators.js';
import {
  contractsByMajor,
  type DeliveredMessage,
  decodeEvent,
  type EventContract,
  EventHeader,
  type EventMeta,
  majorVersion,
  type RegistryEntry,
  type ValidationIssue,
} from '../../core/src/index.js';

export type ContractIndex = ReadonlyMap<string, ReadonlyMap<number, EventContract<unknown>>>;

type Validate = EventContract<unknown>['validate'];
type ValidateHeaders = NonNullable<EventContract<unknown>['validateHeaders']>;

/** The contracts of every subject, by major version, from the registry and the generated validators. */
export function contractIndex(
  registry: readonly RegistryEntry[] = REGISTRY,
  validators: Record<string, unknown> = generatedValidators,
): ContractIndex {
  const bySubject = new Map<string, EventContract<unknown>[]>();
  for (const entry of registry) {
    const validate = validators[`validate${entry.typeName}`];
    const validateHeaders = validators[`validate${entry.typeName}Headers`];
    if (typeof validate !== 'function') throw new Error(`no generated validator validate${entry.typeName} for ${entry.subject}`);
    const contract: EventContract<unknown> = {
      subject: entry.subject,
      version: entry.version,
      validate: validate as Validate,
      ...(typeof validateHeaders === 'function' ? { validateHeaders: validateHeaders as ValidateHeaders } : {}),
    };
    bySubject.set(entry.subject, [...(bySubject.get(entry.subject) ?? []), contract]);
  }
  return new Map([...bySubject].map(([subject, contracts]) => [subject, contractsByMajor(contracts)]));
}

export const UNKNOWN_SUBJECT = 'unknown_subject';

export type Verdict =
  | { ok: true; subject: string; schemaVersion: string; meta: EventMeta }
  | { ok: false; subject: string; schemaVersion: string; reason: string; issues: ValidationIssue[] };

/** Version label when the header is absent or not semver (a label must stay one of few values). */
export const MISSING_VERSION = 'missing';
export const INVALID_VERSION = 'invalid';

export function judgeEvent(index: ContractIndex, msg: DeliveredMessage): Verdict {
  const header = msg.headers?.get(EventHeader.SchemaVersion, Match.IgnoreCase) || undefined;
  const schemaVersion = header === undefined ? MISSING_VERSION : majorVersion(header) === undefined ? INVALID_VERSION : header.trim();
  const contracts = index.get(msg.subject);
  if (!contracts) {
    const issues = [{ path: '', keyword: 'const', message: `no contract defines the subject ${msg.subject}` }];
    return { ok: false, subject: msg.subject, schemaVersion, reason: UNKNOWN_SUBJECT, issues };
  }
  const decoded = decodeEvent(msg, contracts);
  if (!decoded.ok) return { ok: false, subject: msg.subject, schemaVersion, reason: decoded.reason, issues: decoded.issues };
  return { ok: true, subject: msg.subject, schemaVersion, meta: decoded.meta };
}

/**
 * Caps the distinct schema versions labelled per subject: a producer sending ever new versions
 * must not create unbounded metric series. Versions past the cap are labelled "other".
 */
export class VersionLabels {
  private readonly seen = new Map<string, Set<string>>();

  constructor(private readonly maxPerSubject = 16) {}

  label(subject: string, version: string): string {
    const versions = this.seen.get(subject) ?? new Set<string>();
    this.seen.set(subject, versions);
    if (versions.has(version)) return version;
    if (versions.size >= this.maxPerSubject) return 'other';
    versions.add(version);
    return version;
  }
}
