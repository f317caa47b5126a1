// `make generate`: contracts/ -> generated/ and asyncapi.yaml.
// `make check-generated` (--check): regenerate in memory and fail on any difference.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractError } from './codegen/errors.js';
import { generateAll } from './codegen/generate-all.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function listFiles(dir: string, prefix: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry);
    const rel = `${prefix}/${entry}`;
    return statSync(full).isDirectory() ? listFiles(full, rel) : [rel];
  });
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
function writeAtomically(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const files = await generateAll({ rootDir });
  const stale = listFiles(path.join(rootDir, 'generated'), 'generated').filter((f) => !files.has(f));
  const changed = [...files].filter(([file, content]) => readIfExists(path.join(rootDir, file)) !== content).map(([f]) => f);

  if (check) {
    if (changed.length === 0 && stale.length === 0) {
      console.log(`generated code is up to date (${files.size} files)`);
      return 0;
    }
    for (const file of changed) console.error(`out of date: ${file}`);
    for (const file of stale) console.error(`not produced by the generator: ${file}`);
    console.error('Run `make generate` and commit the result.');
    return 1;
  }
  for (const file of changed) writeAtomically(path.join(rootDir, file), files.get(file) as string);
  for (const file of stale) rmSync(path.join(rootDir, file));
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
