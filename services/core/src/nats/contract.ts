// The shape generated code gives every subject: its name, its schema version and a validator.
import type { ValidationResult } from '../validation.js';

export interface EventContract<T> {
  /** NATS subject the event is published on, e.g. "signals.normalized". */
  readonly subject: string;
  /** Semver of the schema, e.g. "1.2.0"; carried on the wire as `ce-schemaversion`. */
  readonly version: string;
  validate(data: unknown): ValidationResult<T>;
  /** The contract's headers schema (generated); checked on publish and on receipt when present. */
  validateHeaders?(headers: Record<string, string>): ValidationResult<Record<string, string>>;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:[-+][0-9A-Za-z.+-]*)?$/;

/** Major version of a semver string, or undefined when the string is not semver. */
export function majorVersion(version: string): number | undefined {
  const match = SEMVER.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

/**
 * Indexes the contracts a consumer accepts by major version. All must share one subject:
 * a consumer reads one subject, in every major it still understands.
 */
export function contractsByMajor<T>(contracts: EventContract<T> | readonly EventContract<T>[]): ReadonlyMap<number, EventContract<T>> {
  const list: readonly EventContract<T>[] = Array.isArray(contracts) ? contracts : [contracts as EventContract<T>];
  const first = list[0];
  if (!first) throw new TypeError('consumeEvents needs at least one contract');
  const byMajor = new Map<number, EventContract<T>>();
  for (const contract of list) {
    const major = majorVersion(contract.version);
    if (major === undefined) throw new TypeError(`contract ${contract.subject} has a non-semver version "${contract.version}"`);
    if (contract.subject !== first.subject) {
      throw new TypeError(`contracts for one consumer must share a subject: ${first.subject} vs ${contract.subject}`);
    }
    if (byMajor.has(major)) throw new TypeError(`two contracts for ${contract.subject} major ${major}`);
    byMajor.set(major, contract);
  }
  return byMajor;
}
