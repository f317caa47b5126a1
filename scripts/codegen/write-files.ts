// Writes what generateAll produced into a repository: only the files that changed, each through
// a temporary file and a rename, and removes generated files the generator no longer makes.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Every file below `dir`, as `prefix/<relative path>`, sorted. */
export function listFiles(dir: string, prefix: string): string[] {
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
export function writeAtomically(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

export interface GeneratedDiff {
  /** Files whose content differs from (or is missing in) the repository. */
  changed: string[];
  /** Files under generated/ that the generator no longer produces. */
  stale: string[];
}

/** What writing `files` into `rootDir` would change. */
export function diffGenerated(rootDir: string, files: Map<string, string>): GeneratedDiff {
  const stale = listFiles(path.join(rootDir, 'generated'), 'generated').filter((f) => !files.has(f));
  const changed = [...files].filter(([file, content]) => readIfExists(path.join(rootDir, file)) !== content).map(([f]) => f);
  return { changed, stale };
}

export function writeGenerated(rootDir: string, files: Map<string, string>): GeneratedDiff {
  const diff = diffGenerated(rootDir, files);
  for (const file of diff.changed) writeAtomically(path.join(rootDir, file), files.get(file) as string);
  for (const file of diff.stale) rmSync(path.join(rootDir, file));
  return diff;
}
