// `make release-contracts`: freeze the current contracts as released versions (see compat/release.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractError } from './codegen/errors.js';
import { InputError } from './compat/errors.js';
import { releaseContracts } from './compat/release.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

releaseContracts(rootDir).then(
  ({ code, lines }) => {
    for (const line of lines) (code === 0 ? console.log : console.error)(line);
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ContractError || error instanceof InputError) console.error(`release-contracts: ${error.message}`);
    else console.error(error);
    process.exitCode = 2;
  },
);
