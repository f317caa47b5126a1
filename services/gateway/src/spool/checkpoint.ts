// The files of a spool directory and the checkpoint that ties them together.
// `spool.checkpoint` holds {generation, offset}: which log file is live, and the byte offset in it
// up to which every entry has been published. It is the only source of truth at recovery: any other
// log generation is either superseded (older) or an uncommitted compaction copy (newer).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './durable-fs.js';
import { SpoolCorruptError } from './errors.js';

export interface Checkpoint {
  generation: number;
  offset: number;
}

export const CHECKPOINT_FILE = 'spool.checkpoint';
const LOG_FILE = /^spool-(\d+)\.log$/;

export function logFileName(generation: number): string {
  // Zero-padded so a directory listing sorts by generation.
  return `spool-${String(generation).padStart(10, '0')}.log`;
}

export function logPath(dir: string, generation: number): string {
  return path.join(dir, logFileName(generation));
}

/** The generations of the log files present in `dir`, ascending. */
export async function listLogGenerations(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names
    .map((name) => LOG_FILE.exec(name)?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** undefined when there is no checkpoint yet (a new spool). */
export async function readCheckpoint(dir: string): Promise<Checkpoint | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, CHECKPOINT_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SpoolCorruptError(dir, `${CHECKPOINT_FILE} is not JSON`);
  }
  if (!isCheckpoint(value)) throw new SpoolCorruptError(dir, `${CHECKPOINT_FILE} has no valid generation and offset`);
  return value;
}

/** Atomic and durable: written to a temp file, fsynced, renamed over the old one, directory fsynced. */
export async function writeCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  const text = `${JSON.stringify({ generation: checkpoint.generation, offset: checkpoint.offset })}\n`;
  await writeFileAtomic(path.join(dir, CHECKPOINT_FILE), text);
}

function isCheckpoint(value: unknown): value is Checkpoint {
  if (typeof value !== 'object' || value === null) return false;
  const { generation, offset } = value as Record<string, unknown>;
  return Number.isSafeInteger(generation) && (generation as number) >= 1 && Number.isSafeInteger(offset) && (offset as number) >= 0;
}
