// The gate's command line, as a function: tests call it in-process, cli.ts wires it to the
// process. Exit codes: 0 compatible, 1 incompatible, 2 bad input (the message names the file).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ContractError } from '../codegen/errors.js';
import { diffSides } from './asyncapi-diff.js';
import { InputError } from './errors.js';
import { FORMATS, type Format, isFormat } from './formats/index.js';
import { materializeTree, parseGitSpec } from './git.js';
import { SourceLocator } from './locate.js';
import { parseMode } from './modes.js';
import { buildReport, type Report } from './report.js';
import { type ContractSide, loadSide } from './side.js';
import type { Policy } from './types.js';
import { checkWorkingTree } from './working-tree.js';

export const USAGE = `usage: npm run --silent compat -- [--old <path> --new <path>] [--mode MODE] [--policy strict|lenient]
                                  [--format text|json|github|junit|sarif] [--root <dir>]

  --old, --new  two versions of a contract: AsyncAPI 3 documents (YAML or JSON) or plain JSON
                Schema files; either may be git:<ref>:<path> (path from the repository's top)
  without them  the working-tree check: contracts/ against contracts/released/ (and the merge base)
  --mode        judge every subject under this mode instead of its x-compatibility
  --policy      strict (default) or lenient (undeclared properties of open objects assumed absent)
  --root        the repository for the working-tree check (default: this one)
exit status: 0 compatible, 1 incompatible, 2 bad input
`;

export interface CompatRun {
  code: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

export interface CompatEnvironment {
  /** What relative --old/--new/--root paths are relative to. */
  cwd: string;
  /** The repository the working-tree check reads without --root. */
  defaultRoot: string;
}

interface Options {
  old?: string;
  new?: string;
  mode?: ReturnType<typeof parseMode>;
  policy: Policy;
  format: Format;
  root?: string;
  help: boolean;
}

function parseOptions(argv: string[]): Options {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        old: { type: 'string' },
        new: { type: 'string' },
        mode: { type: 'string' },
        policy: { type: 'string' },
        format: { type: 'string' },
        root: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new InputError('arguments', `${(error as Error).message}\n${USAGE}`);
  }
  const format = String(values.format ?? 'text');
  if (!isFormat(format))
    throw new InputError('--format', `unknown format ${JSON.stringify(format)}; use one of ${Object.keys(FORMATS).join(', ')}`);
  const policy = String(values.policy ?? 'strict');
  if (policy !== 'strict' && policy !== 'lenient')
    throw new InputError('--policy', `unknown policy ${JSON.stringify(policy)}; use strict or lenient`);
  if ((values.old === undefined) !== (values.new === undefined)) {
    throw new InputError(
      values.old === undefined ? '--old' : '--new',
      'is missing: give both --old and --new, or neither for the working-tree check',
    );
  }
  if (values.old !== undefined && values.root !== undefined)
    throw new InputError('--root', 'applies to the working-tree check only (without --old/--new)');
  return {
    old: values.old as string | undefined,
    new: values.new as string | undefined,
    mode: values.mode === undefined ? undefined : parseMode(values.mode, '--mode'),
    policy,
    format,
    root: values.root as string | undefined,
    help: values.help === true,
  };
}

/** A side from a path or `git:<ref>:<path>`; a materialized tree is removed by `cleanups`. */
function openSide(spec: string, cwd: string, cleanups: (() => void)[]): ContractSide {
  const git = parseGitSpec(spec);
  if (git === undefined) return loadSide(path.resolve(cwd, spec), spec, cwd);
  const tree = materializeTree(spec, git.ref, cwd);
  cleanups.push(tree.cleanup);
  return loadSide(path.join(tree.dir, git.path), spec, tree.dir);
}

function compareFiles(options: Options, cwd: string, locate: boolean): Report {
  const cleanups: (() => void)[] = [];
  try {
    const old = openSide(options.old as string, cwd, cleanups);
    const next = openSide(options.new as string, cwd, cleanups);
    const findings = diffSides(old, next, { mode: options.mode, policy: options.policy });
    const subjects = [...old.subjects, ...next.subjects].map((s) => s.subject);
    return buildReport(findings, subjects, locate ? new SourceLocator(cwd) : undefined);
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
}

function checkTree(options: Options, root: string, locate: boolean): Report {
  if (!existsSync(path.join(root, 'contracts'))) throw new InputError(root, 'has no contracts/ directory (use --root <repository>)');
  const result = checkWorkingTree(root, { mode: options.mode, policy: options.policy });
  return buildReport(result.findings, result.subjects, locate ? new SourceLocator(root) : undefined);
}

export function runCompat(argv: string[], env: CompatEnvironment): CompatRun {
  try {
    const options = parseOptions(argv);
    if (options.help) return { code: 0, stdout: USAGE, stderr: '' };
    // JSON carries no file or line, so it skips the YAML walk.
    const locate = options.format !== 'json';
    const report =
      options.old !== undefined
        ? compareFiles(options, env.cwd, locate)
        : checkTree(options, path.resolve(env.cwd, options.root ?? env.defaultRoot), locate);
    return { code: report.compatible ? 0 : 1, stdout: FORMATS[options.format](report), stderr: '' };
  } catch (error) {
    if (error instanceof InputError) return { code: 2, stdout: '', stderr: `compat: ${error.message}\n` };
    if (error instanceof ContractError) return { code: 2, stdout: '', stderr: `compat: contract error: ${error.message}\n` };
    throw error;
  }
}
