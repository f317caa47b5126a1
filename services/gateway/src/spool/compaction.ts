// Compaction moves the unpublished entries into a new log generation and drops the old file, so the
// log does not grow forever. After a full flush the new generation is simply empty.
//
// The steps, and why a crash between any two of them is harmless:
//   1. writeGenerationLog: spool-(g+1).log gets the pending lines; fdatasync; fsync the directory.
//   2. commitGeneration: the checkpoint becomes {generation: g+1, offset: 0} by an atomic rename.  <- commit point
//   3. removeGenerationLog: spool-g.log is deleted.
// - Crash before 2: the checkpoint still names g with its old offset; recovery deletes the uncommitted
//   copy g+1. The state is the one before compaction: nothing lost, nothing published comes back
//   except what the old checkpoint had not yet recorded (the documented at-least-once window).
// - Crash after 2: the checkpoint names g+1, which already holds every pending entry (step 1 was
//   durable before the rename); recovery deletes the leftover g. Published entries are not in g+1.
// The spool holds its append lock during the three steps, so no append can land in g after the copy.
import type { FileHandle } from 'node:fs/promises';
import { open, rm } from 'node:fs/promises';
import { logPath, writeCheckpoint } from './checkpoint.js';
import { appendAll, fsyncDir } from './durable-fs.js';
import { encodeEntry, type ScannedEntry } from './log-format.js';

/** Step 1. Returns the new log opened for appending; on failure the partial file is removed. */
export async function writeGenerationLog(dir: string, generation: number, lines: readonly Buffer[]): Promise<FileHandle> {
  const file = logPath(dir, generation);
  // Append mode: every later append goes to the end. A leftover file of the same generation (from an
  // earlier compaction that failed before its commit) is garbage, hence the truncate.
  const handle = await open(file, 'a');
  try {
    await handle.truncate(0);
    if (lines.length > 0) await appendAll(handle, Buffer.concat(lines));
    await handle.datasync();
    await fsyncDir(dir);
    return handle;
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(file, { force: true }).catch(() => {});
    throw error;
  }
}

/** Step 2, the commit point. */
export async function commitGeneration(dir: string, generation: number): Promise<void> {
  await writeCheckpoint(dir, { generation, offset: 0 });
}

/** Step 3. Missing is fine: recovery removes superseded logs too. */
export async function removeGenerationLog(dir: string, generation: number): Promise<void> {
  await rm(logPath(dir, generation), { force: true });
  await fsyncDir(dir);
}

/** The lines of a new generation holding `pending`, and where each entry ends in it. */
export function layoutGeneration(pending: readonly ScannedEntry[]): { lines: Buffer[]; entries: ScannedEntry[]; size: number } {
  const lines: Buffer[] = [];
  const entries: ScannedEntry[] = [];
  let size = 0;
  for (const { entry } of pending) {
    const { line } = encodeEntry(entry);
    lines.push(line);
    size += line.length;
    entries.push({ entry, end: size });
  }
  return { lines, entries, size };
}
