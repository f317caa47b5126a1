// `npm run --silent compat -- --old <path> --new <path> [--mode MODE] [--policy strict|lenient]
// [--format text|json|github|junit|sarif]`; without --old/--new, the working-tree check (`make compat`).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCompat } from './command.js';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// `npm run` moves to the package root; INIT_CWD is where the user typed the command.
const cwd = process.env.npm_lifecycle_event === 'compat' ? (process.env.INIT_CWD ?? process.cwd()) : process.cwd();

const result = runCompat(process.argv.slice(2), { cwd, defaultRoot: repositoryRoot });
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
