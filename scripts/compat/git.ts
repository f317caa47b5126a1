// The little git the gate needs: a tree at a ref (for `--old git:<ref>:<path>`), the merge base
// with the default branch, a file at a commit, and what changed since. Every helper returns
// undefined rather than failing when git or the history is missing: CI clones may be shallow.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from './errors.js';

/** The branches a feature branch is merged into, most specific first. */
const DEFAULT_BRANCHES = ['origin/HEAD', 'origin/main', 'main'];

function git(cwd: string, args: string[]): string | undefined {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return result.status === 0 ? result.stdout : undefined;
}

export interface GitSpec {
  ref: string;
  /** Path inside the repository at that ref (relative to its top level, as in `git show <ref>:<path>`). */
  path: string;
}

/** `git:<ref>:<path>`; a ref never contains `:`, so the first one after the prefix separates them. */
export function parseGitSpec(spec: string): GitSpec | undefined {
  if (!spec.startsWith('git:')) return undefined;
  const rest = spec.slice('git:'.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) throw new InputError(spec, 'expected git:<ref>:<path>, e.g. git:origin/main:asyncapi.yaml');
  return { ref: rest.slice(0, colon), path: rest.slice(colon + 1) };
}

export interface MaterializedTree {
  dir: string;
  cleanup: () => void;
}

/** The whole tree at `ref` in a temp dir (`git archive | tar -x`), so relative `$ref`s resolve as they did then. */
export function materializeTree(spec: string, ref: string, cwd: string): MaterializedTree {
  const top = git(cwd, ['rev-parse', '--show-toplevel'])?.trim();
  if (top === undefined) throw new InputError(spec, `${cwd} is not inside a git repository`);
  const archive = spawnSync('git', ['archive', '--format=tar', ref], { cwd: top, maxBuffer: 1024 * 1024 * 1024 });
  if (archive.status !== 0) {
    const why = archive.stderr.toString('utf8').trim().split('\n')[0] ?? '';
    throw new InputError(
      spec,
      `git ref ${ref} is not available (${why}); in a shallow clone fetch it first (actions/checkout with fetch-depth: 0)`,
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'compat-git-'));
  const tar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (tar.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new InputError(spec, `cannot unpack the tree at ${ref}: ${tar.stderr.toString('utf8').trim()}`);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The merge base of HEAD with the default branch, when `root` is the top of a git work tree
 * and one of the default branches exists; undefined otherwise.
 */
export function mergeBase(root: string): string | undefined {
  const top = git(root, ['rev-parse', '--show-toplevel'])?.trim();
  if (top === undefined || realpathSync(top) !== realpathSync(root)) return undefined;
  for (const branch of DEFAULT_BRANCHES) {
    if (git(root, ['rev-parse', '--verify', '--quiet', `${branch}^{commit}`]) === undefined) continue;
    const base = git(root, ['merge-base', 'HEAD', branch])?.trim();
    if (base) return base;
  }
  return undefined;
}

/** A file's content at a commit, or undefined when it did not exist there. */
export function showAt(root: string, commit: string, file: string): string | undefined {
  return git(root, ['show', `${commit}:${file}`]);
}

export interface ChangedFile {
  /** git's status letter: M modified, D deleted, A added, T type changed. */
  status: string;
  file: string;
}

/** Tracked files under `pathspec` that differ between `commit` and the working tree. */
export function changedSince(root: string, commit: string, pathspec: string): ChangedFile[] {
  const out = git(root, ['diff', '--name-status', '--no-renames', commit, '--', pathspec]) ?? '';
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [status = '', file = ''] = line.split('\t');
      return { status: status.charAt(0), file };
    });
}
