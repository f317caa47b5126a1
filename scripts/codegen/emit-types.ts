// TypeScript types for every payload, with AsyncAPI Modelina. Names come from schema titles;
// property names are kept exactly as on the wire.
import { TS_DESCRIPTION_PRESET, TypeScriptGenerator, type TypeScriptPropertyKeyConstraint } from '@asyncapi/modelina';
import type { CompiledContracts } from './compile.js';
import { ContractError } from './errors.js';
import { generatedHeader, TOOL_VERSIONS } from './header.js';
import type { JsonObject } from './json.js';
import { DRAFT_07 } from './schemas.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Wire names stay as they are: a valid identifier bare, anything else quoted. */
const keepWireName: TypeScriptPropertyKeyConstraint = ({ objectPropertyModel }) =>
  IDENTIFIER.test(objectPropertyModel.propertyName) ? objectPropertyModel.propertyName : JSON.stringify(objectPropertyModel.propertyName);

const ROOT_TITLE = 'GeneratedModelsRoot';

/** One schema whose properties reach every payload, so Modelina sees all of them at once. */
export function modelinaInput(compiled: CompiledContracts): JsonObject {
  const properties: JsonObject = {};
  for (const name of compiled.payloadTypeNames) properties[name] = { $ref: `#/definitions/${name}` };
  const definitions: JsonObject = {};
  for (const name of [...compiled.definitions.keys()].sort()) definitions[name] = compiled.definitions.get(name) as JsonObject;
  return { $schema: DRAFT_07, title: ROOT_TITLE, type: 'object', additionalProperties: false, properties, definitions };
}

export async function renderTypes(input: JsonObject, sources: string[]): Promise<string> {
  const generator = new TypeScriptGenerator({
    modelType: 'interface',
    enumType: 'union',
    mapType: 'record',
    useJavascriptReservedKeywords: false,
    constraints: { propertyKey: keepWireName },
    presets: [TS_DESCRIPTION_PRESET],
  });
  const models = await generator.generate(input);
  const rendered = models
    .filter((model) => model.modelName !== ROOT_TITLE)
    .sort((a, b) => a.modelName.localeCompare(b.modelName))
    .map((model) => {
      if (/^AnonymousSchema/.test(model.modelName)) {
        throw new ContractError(
          sources.join(', '),
          model.modelName,
          'a schema without a title reached the type generator; give it a `title`',
        );
      }
      return model.result.trim().replace(/^(interface|type) /m, 'export $1 ');
    });
  return `${generatedHeader(sources, `@asyncapi/modelina ${TOOL_VERSIONS.modelina}`)}\n${rendered.join('\n\n')}\n`;
}
