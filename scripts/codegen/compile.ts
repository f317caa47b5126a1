// Compiles the loaded contracts into the schemas every emitter shares: one definitions map
// (named by title), and per subject a standalone payload and headers schema.
import { ContractError } from './errors.js';
import type { JsonObject } from './json.js';
import type { ContractSet, SubjectContract } from './model.js';
import { SchemaBundler, schemaId, standaloneSchema } from './schemas.js';

export interface CompiledSubject extends SubjectContract {
  /** The generated TypeScript type of the payload (the payload schema's title). */
  typeName: string;
  payloadSchema: JsonObject;
  headersSchema: JsonObject;
}

export interface CompiledContracts {
  set: ContractSet;
  subjects: CompiledSubject[];
  /** Every named schema reached from a payload, by title. */
  definitions: Map<string, JsonObject>;
  /** Type names of the payloads, in subject order. */
  payloadTypeNames: string[];
}

export function compileContracts(set: ContractSet): CompiledContracts {
  const payloads = new SchemaBundler(set.cache);
  const headers = new SchemaBundler(set.cache);
  const subjects = set.subjects.map((subject): CompiledSubject => {
    const ref = payloads.inline(subject.payload, subject.absoluteFile) as JsonObject;
    const typeName = typeof ref.$ref === 'string' ? ref.$ref.slice('#/definitions/'.length) : '';
    if (typeName === '') {
      throw new ContractError(
        subject.sourceFile,
        `components/messages/${subject.name}/payload`,
        'payload must be a $ref to a titled schema in components.schemas',
      );
    }
    const payloadRoot = payloads.inlineRoot(subject.payload, subject.absoluteFile);
    const headersRoot = headers.inlineRoot(subject.headers, subject.absoluteFile);
    return {
      ...subject,
      typeName,
      payloadSchema: standaloneSchema(schemaId(subject.subject, subject.version), payloadRoot, payloads.definitions),
      headersSchema: standaloneSchema(schemaId(subject.subject, subject.version, 'headers'), headersRoot, headers.definitions),
    };
  });
  return { set, subjects, definitions: payloads.definitions, payloadTypeNames: subjects.map((s) => s.typeName) };
}
