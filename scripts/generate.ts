// `make generate`: contracts/ -> generated/ and asyncapi.yaml.
// `make check-generated` (--check): regenerate in memory and fail on any difference.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractError } from './codegen/errors.js';
import { generateAll } from './codegen/generate-all.js';
import { diffGenerated, writeGenerated } from './codegen/write-files.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const files = await generateAll({ rootDir });

  if (check) {
    const { changed, stale } = diffGenerated(rootDir, files);
    if (changed.length === 0 && stale.length === 0) {
      console.log(`generated code is up to date (${files.size} files)`);
      return 0;
    }
    for (const file of changed) console.error(`out of date: ${file}`);
    for (const file of stale) console.error(`not produced by the generator: ${file}`);
    console.error('Run `make generate` and commit the result.');
    return 1;
  }
  const { changed, stale } = writeGenerated(rootDir, files);
  console.log(`generated ${files.size} files (${changed.length} changed, ${stale.length} removed)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ContractError) console.error(`contract error: ${error.message}`);
    else console.error(error);
    process.exit(1);
  },
);
