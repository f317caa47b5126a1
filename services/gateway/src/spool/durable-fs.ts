// The two fsync rules the spool relies on (POSIX, ext4/xfs):
// - a new, renamed or deleted directory entry is durable only once the directory itself is fsynced;
// - rename() over an existing file is atomic: after a crash the name points to the old or the new file.
import type { FileHandle } from 'node:fs/promises';
import { open, rename } from 'node:fs/promises';
import path from 'node:path';

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `file` so that a reader, even after a crash, sees either the old or the new content, never a mix. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync(); // the content must be on disk before the rename can expose it
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await fsyncDir(path.dirname(file));
}

/** Writes every byte at the end of an O_APPEND file; write() may write less than asked (e.g. disk nearly full). */
export async function appendAll(handle: FileHandle, data: Buffer): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written);
    if (bytesWritten === 0) throw new Error('write made no progress');
    written += bytesWritten;
  }
}
