// Everything `make generate` produces, as a map from repository path to file content.
// Pure: reads contracts/, writes nothing, so --check and tests can compare in memory.
import path from 'node:path';
import { bundleAsyncApi } from './bundle.js';
import { compileContracts } from './compile.js';
import { renderClients, renderRegistry, renderStreams } from './emit-nats.js';
import { modelinaInput, renderTypes } from './emit-types.js';
import { renderStandaloneDeclarations, renderStandaloneValidators, renderValidatorWrappers } from './emit-validators.js';
import { generatedHeader } from './header.js';
import { loadContracts } from './load.js';

export interface GenerateOptions {
  rootDir: string;
  contractsDir?: string;
}

export async function generateAll({
  rootDir,
  contractsDir = path.join(rootDir, 'contracts'),
}: GenerateOptions): Promise<Map<string, string>> {
  const set = loadContracts(rootDir, contractsDir);
  const compiled = compileContracts(set);
  const sources = [...new Set(set.documents.map((d) => d.relativePath))];
  const files = new Map<string, string>();
  files.set('generated/types.ts', await renderTypes(modelinaInput(compiled), sources));
  files.set('generated/validators/standalone.js', renderStandaloneValidators(compiled, sources));
  files.set('generated/validators/standalone.d.ts', renderStandaloneDeclarations(compiled, sources));
  files.set('generated/validators.ts', renderValidatorWrappers(compiled, sources));
  files.set('generated/nats.ts', renderClients(compiled, sources));
  files.set('generated/streams.ts', renderStreams(compiled, sources));
  files.set('generated/registry.ts', renderRegistry(compiled, sources));
  files.set(
    'generated/index.ts',
    `${generatedHeader(sources, 'index')}export * from './types.js';\nexport * from './validators.js';\nexport * from './nats.js';\nexport * from './streams.js';\nexport * from './registry.js';\n`,
  );
  files.set('asyncapi.yaml', bundleAsyncApi(set, path.join(contractsDir, 'platform.yaml'), path.join(contractsDir, 'common')));
  return files;
}
