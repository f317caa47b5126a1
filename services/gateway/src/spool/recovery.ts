// Opening a spool directory after a clean stop or a crash: settle the files to one consistent state
// and return the entries not yet published, in order.
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CHECKPOINT_FILE,
  type Checkpoint,
  listLogGenerations,
  logFileName,
  logPath,
  readCheckpoint,
  writeCheckpoint,
} from './checkpoint.js';
import { fsyncDir } from './durable-fs.js';
import { SpoolCorruptError } from './errors.js';
import { type CorruptLine, NEWLINE, type ScannedEntry, scanLog } from './log-format.js';
import type { SpoolLogger } from './spool-logger.js';

export interface RecoveredLog {
  generation: number;
  /** Offset up to which everything is published (the checkpoint). */
  publishedOffset: number;
  /** The live log, opened for appending. */
  handle: FileHandle;
  /** Size of the live log after a torn tail was cut off. */
  size: number;
  pending: ScannedEntry[];
  corrupt: CorruptLine[];
}

export async function recoverLog(dir: string, logger: SpoolLogger): Promise<RecoveredLog> {
  await mkdir(dir, { recursive: true });
  // A crash inside writeFileAtomic leaves the temp file; the real checkpoint is still the old one.
  await rm(path.join(dir, `${CHECKPOINT_FILE}.tmp`), { force: true });
  const checkpoint = await readOrCreateCheckpoint(dir);
  await removeOtherGenerations(dir, checkpoint.generation, logger);

  const file = logPath(dir, checkpoint.generation);
  // 'a' creates the log when a crash came between the first checkpoint and the first append.
  const handle = await open(file, 'a');
  try {
    await fsyncDir(dir);
    const content = await readFile(file);
    if (checkpoint.offset > content.length) {
      throw new SpoolCorruptError(dir, `checkpoint offset ${checkpoint.offset} is past the end of ${logFileName(checkpoint.generation)}`);
    }
    if (checkpoint.offset > 0 && content[checkpoint.offset - 1] !== NEWLINE) {
      throw new SpoolCorruptError(dir, `checkpoint offset ${checkpoint.offset} is not at a line boundary`);
    }
    const scan = scanLog(content, checkpoint.offset);
    if (scan.validEnd < content.length) {
      // Only an append whose fsync never returned can be torn, so its webhook was never acknowledged.
      logger.warn({ dir, file, offset: scan.validEnd, bytes: content.length - scan.validEnd }, 'spool: cutting off a torn last line');
      await handle.truncate(scan.validEnd);
      await handle.datasync();
    }
    for (const line of scan.corrupt) {
      logger.error({ dir, file, ...line }, 'spool: skipping a damaged line; its webhook cannot be recovered, its bytes are quarantined');
      await quarantine(dir, checkpoint.generation, line, content);
    }
    return {
      generation: checkpoint.generation,
      publishedOffset: checkpoint.offset,
      handle,
      size: scan.validEnd,
      pending: scan.entries,
      corrupt: scan.corrupt,
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function readOrCreateCheckpoint(dir: string): Promise<Checkpoint> {
  const existing = await readCheckpoint(dir);
  if (existing) return existing;
  // The first checkpoint is written before any log exists, so logs without one were not made by
  // this code (or the checkpoint was deleted): refuse to guess what was published.
  const generations = await listLogGenerations(dir);
  if (generations.length > 0) throw new SpoolCorruptError(dir, `log files exist but ${CHECKPOINT_FILE} is missing`);
  const fresh = { generation: 1, offset: 0 };
  await writeCheckpoint(dir, fresh);
  return fresh;
}

async function removeOtherGenerations(dir: string, live: number, logger: SpoolLogger): Promise<void> {
  const stale = (await listLogGenerations(dir)).filter((generation) => generation !== live);
  for (const generation of stale) {
    const reason = generation < live ? 'superseded by compaction' : 'uncommitted compaction copy';
    logger.info({ dir, file: logFileName(generation), reason }, 'spool: removing a stale log generation');
    await rm(logPath(dir, generation), { force: true });
  }
  if (stale.length > 0) await fsyncDir(dir);
}

/** Keeps a damaged line's raw bytes next to the log for an operator; written once per line, best effort. */
async function quarantine(dir: string, generation: number, line: CorruptLine, content: Buffer): Promise<void> {
  const file = path.join(dir, `corrupt-${generation}-${line.offset}.line`);
  await writeFile(file, content.subarray(line.offset, line.offset + line.length), { flag: 'wx' }).catch(() => {});
}
