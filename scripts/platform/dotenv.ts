// `.env` at the repository's top, when there is one: KEY=value lines, comments and blanks
// skipped. `make dev` and `make demo` read it, so both see the same secrets.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function dotenv(file = path.join(rootDir, '.env')): Record<string, string> {
  if (!existsSync(file)) return {};
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[2] !== '')
    .map((m) => [m[1] as string, m[2] as string]);
  return Object.fromEntries(entries);
}
