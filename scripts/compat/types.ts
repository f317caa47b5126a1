// The vocabulary of the compatibility gate: directions, policies, modes and findings.

/**
 * BACKWARD: consumers on the new schema read data written with the old one.
 * FORWARD: consumers on the old schema read data written with the new one.
 */
export type Direction = 'BACKWARD' | 'FORWARD';

/**
 * strict: instance-set inclusion (BACKWARD holds when every instance valid under the old schema
 * is valid under the new one). lenient: as Confluent Schema Registry's lenient policy, undeclared
 * properties of an open content model are assumed absent, so adding or removing a property
 * under an open model is compatible.
 */
export type Policy = 'strict' | 'lenient';

export const COMPATIBILITY_MODES = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

/** One difference between two schemas, located by a JSON pointer into the schema. */
export interface SchemaFinding {
  /** JSON pointer into the compared schema ('' is the root), e.g. `/properties/instrument/properties/symbol`. */
  pointer: string;
  /** Stable rule id, e.g. `required-added`, `enum-narrowed`, `type-widened`. */
  rule: string;
  /** The directions this difference breaks; empty when it breaks neither. */
  breaks: Direction[];
  /** What changed and what to do instead. */
  message: string;
}

/** A finding about one subject (channel + message) of an AsyncAPI document. */
export interface Finding extends SchemaFinding {
  /** The subject, e.g. `signals.normalized`; the document-level subject for channel/operation findings. */
  subject: string;
}

export interface SchemaDiffOptions {
  policy?: Policy;
}

export function directionsOf(mode: CompatibilityMode): Direction[] {
  if (mode === 'NONE') return [];
  if (mode.startsWith('BACKWARD')) return ['BACKWARD'];
  if (mode.startsWith('FORWARD')) return ['FORWARD'];
  return ['BACKWARD', 'FORWARD'];
}

export function isTransitive(mode: CompatibilityMode): boolean {
  return mode.endsWith('_TRANSITIVE');
}

/** True when no finding breaks a direction the mode requires. */
export function isCompatible(findings: readonly SchemaFinding[], mode: CompatibilityMode): boolean {
  const required = directionsOf(mode);
  return findings.every((finding) => finding.breaks.every((direction) => !required.includes(direction)));
}
