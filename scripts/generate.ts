// `make generate`: contracts/ -> generated/ and asyncapi.yaml.
// `make check-generated` (--check): regenerate in memory and fail on any difference.
// --contracts <dir> reads another contracts directory and --out <dir> writes (or checks) generated/
// and asyncapi.yaml under another directory (the generator benchmark uses both); without them: this
// repository's contracts/ into this repository.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ContractError } from './codegen/errors.js';
import { generateAll } from './codegen/generate-all.js';
import { diffGenerated, writeGenerated } from './codegen/write-files.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = 'usage: tsx scripts/generate.ts [--check] [--contracts <dir>] [--out <dir>]';

/** A directory given on the command line, resolved; a clear error when it is not one. */
function directoryOption(name: string, value: string | undefined, fallback: string, create: boolean): string {
  if (value === undefined) return fallback;
  const dir = path.resolve(value);
  if (existsSync(dir) ? !statSync(dir).isDirectory() : !create) throw new UsageError(`--${name} ${value}: not a directory`);
  return dir;
}

class UsageError extends Error {}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { check: { type: 'boolean' }, contracts: { type: 'string' }, out: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const check = values.check === true;
  const outDir = directoryOption('out', values.out, rootDir, true);
  const contractsDir = directoryOption('contracts', values.contracts, path.join(rootDir, 'contracts'), false);
  const files = await generateAll({ rootDir: outDir, contractsDir });

  if (check) {
    const { changed, stale } = diffGenerated(outDir, files);
    if (changed.length === 0 && stale.length === 0) {
      console.log(`generated code is up to date (${files.size} files)`);
      return 0;
    }
    for (const file of changed) console.error(`out of date: ${file}`);
    for (const file of stale) console.error(`not produced by the generator: ${file}`);
    console.error('Run `make generate` and commit the result.');
    return 1;
  }
  const { changed, stale } = writeGenerated(outDir, files);
  console.log(`generated ${files.size} files (${changed.length} changed, ${stale.length} removed)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ContractError) console.error(`contract error: ${error.message}`);
    else if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      console.error(`${(error as Error).message}\n${USAGE}`);
    else console.error(error);
    process.exit(1);
  },
);
