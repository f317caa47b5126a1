// Precompiled ajv validators (standalone code: no schema compilation when a service starts),
// and the typed wrappers that make each one a type guard with readable errors.
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
import type { CompiledContracts, CompiledSubject } from './compile.js';
import { generatedHeader, TOOL_VERSIONS } from './header.js';

/** ajv's ESM output still calls require() for its runtime helpers and format checks. */
const REQUIRE_SHIM = "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n";

export function payloadExport(subject: CompiledSubject): string {
  return subject.typeName;
}
export function headersExport(subject: CompiledSubject): string {
  return `${subject.typeName}Headers`;
}

export function createAjv(): Ajv.default {
  const ajv = new Ajv.default({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    code: { source: true, esm: true, lines: true },
  });
  addFormats.default(ajv);
  return ajv;
}

export function renderStandaloneValidators(compiled: CompiledContracts, sources: string[]): string {
  const ajv = createAjv();
  const exports: Record<string, string> = {};
  for (const subject of compiled.subjects) {
    ajv.addSchema(subject.payloadSchema);
    ajv.addSchema(subject.headersSchema);
    exports[payloadExport(subject)] = subject.payloadSchema.$id as string;
    exports[headersExport(subject)] = subject.headersSchema.$id as string;
  }
  const code = standaloneCode.default(ajv, exports);
  return `${generatedHeader(sources, `ajv ${TOOL_VERSIONS.ajv} standalone`)}/* eslint-disable */\n${REQUIRE_SHIM}${code}\n`;
}

export function renderStandaloneDeclarations(compiled: CompiledContracts, sources: string[]): string {
  const names = compiled.subjects.flatMap((s) => [payloadExport(s), headersExport(s)]);
  return [
    generatedHeader(sources, `ajv ${TOOL_VERSIONS.ajv} standalone`),
    "import type { CompiledValidator } from '../../services/core/src/compiled-validator.js';",
    '',
    ...names.map((name) => `export declare const ${name}: CompiledValidator;`),
    '',
  ].join('\n');
}

export function renderValidatorWrappers(compiled: CompiledContracts, sources: string[]): string {
  const lines = [
    generatedHeader(sources, `ajv ${TOOL_VERSIONS.ajv} standalone`),
    "import { type ContractValidator, type EventHeadersRecord, contractValidator } from '../services/core/src/compiled-validator.js';",
    `import type { ${compiled.subjects.map((s) => s.typeName).join(', ')} } from './types.js';`,
    "import * as compiled from './validators/standalone.js';",
  ];
  for (const s of compiled.subjects) {
    lines.push(
      '',
      `/** ${s.subject} ${s.version}: the payload of ${s.name} (${s.sourceFile}). */`,
      `export const ${lowerFirst(s.typeName)}Validator: ContractValidator<${s.typeName}> = contractValidator(compiled.${payloadExport(s)});`,
      `export function is${s.typeName}(data: unknown): data is ${s.typeName} {`,
      `  return ${lowerFirst(s.typeName)}Validator.is(data);`,
      '}',
      `export const validate${s.typeName} = ${lowerFirst(s.typeName)}Validator.validate;`,
      `/** ${s.subject} ${s.version}: the NATS headers of ${s.name}. */`,
      `export const validate${s.typeName}Headers = contractValidator<EventHeadersRecord>(compiled.${headersExport(s)}).validate;`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
