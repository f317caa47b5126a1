// The shape of the generated registry index (generated/registry.ts): what the services,
// the docs and the compatibility gate know about every subject.
export type CompatibilityMode = 'NONE' | 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE';

export interface RegistryExample {
  name: string;
  summary: string;
  headers: Record<string, string>;
  payload: unknown;
}

export interface RegistryEntry {
  subject: string;
  /** Message id in the contract (PascalCase). */
  name: string;
  /** Generated TypeScript type of the payload. */
  typeName: string;
  version: string;
  compatibility: CompatibilityMode;
  owner: string;
  contentType: string;
  /** Contract file, relative to the repository root. */
  source: string;
  payloadSchema: Record<string, unknown>;
  headersSchema: Record<string, unknown>;
  examples: RegistryExample[];
}
