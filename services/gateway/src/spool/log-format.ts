// The on-disk format of the spool log: one entry per line, `<crc32 as 8 hex digits> <JSON>\n`.
// JSON.stringify never emits a raw newline, so '\n' is an unambiguous record separator; the checksum
// (over the JSON bytes) tells a damaged line from a good one. CRC-32 detects every burst error up to
// 32 bits and random damage with probability 1 - 2^-32: enough for torn writes and bit rot on a local disk.
import { crc32 } from 'node:zlib';

export interface SpoolEntry {
  /** Idempotency key of the webhook; becomes the event id / Nats-Msg-Id, so a republish is deduplicated. */
  id: string;
  /** When the gateway received the webhook (ISO 8601). */
  receivedAt: string;
  /** What the gateway needs to publish later; must be JSON-serializable and comes back as parsed JSON. */
  record: unknown;
}

export interface EncodedEntry {
  /** The bytes to append, newline included. */
  line: Buffer;
  /** The entry as a reader of the log will see it (parsed back from the JSON), so flushing before and after a restart behaves alike. */
  entry: SpoolEntry;
}

export const NEWLINE = 0x0a;
const SPACE = 0x20;
const CHECKSUM_DIGITS = 8;

/** Throws a TypeError for an entry that cannot be stored faithfully (nothing is written then). */
export function encodeEntry(entry: SpoolEntry): EncodedEntry {
  if (typeof entry.id !== 'string' || entry.id === '') throw new TypeError('spool entry id must be a non-empty string');
  if (typeof entry.receivedAt !== 'string') throw new TypeError('spool entry receivedAt must be a string');
  // undefined, a function or a symbol would vanish from the JSON and the entry could not be read back.
  const record = JSON.stringify(entry.record);
  if (record === undefined) throw new TypeError(`spool entry ${entry.id} has no JSON-serializable record`);
  const text = `{"id":${JSON.stringify(entry.id)},"receivedAt":${JSON.stringify(entry.receivedAt)},"record":${record}}`;
  const json = Buffer.from(text, 'utf8');
  const line = Buffer.allocUnsafe(CHECKSUM_DIGITS + 1 + json.length + 1);
  line.write(checksumOf(json), 0, 'latin1');
  line[CHECKSUM_DIGITS] = SPACE;
  json.copy(line, CHECKSUM_DIGITS + 1);
  line[line.length - 1] = NEWLINE;
  return { line, entry: JSON.parse(text) as SpoolEntry };
}

export type DecodedLine = { ok: true; entry: SpoolEntry } | { ok: false; reason: string };

/** Decodes one line given without its trailing newline. */
export function decodeLine(line: Buffer): DecodedLine {
  if (line.length <= CHECKSUM_DIGITS + 1 || line[CHECKSUM_DIGITS] !== SPACE) return { ok: false, reason: 'malformed line' };
  const json = line.subarray(CHECKSUM_DIGITS + 1);
  if (line.toString('latin1', 0, CHECKSUM_DIGITS) !== checksumOf(json)) return { ok: false, reason: 'checksum mismatch' };
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid JSON' };
  }
  return isSpoolEntry(value) ? { ok: true, entry: value } : { ok: false, reason: 'not a spool entry' };
}

export interface ScannedEntry {
  entry: SpoolEntry;
  /** Byte offset just past this entry's newline: the checkpoint offset once it is published. */
  end: number;
}

export interface CorruptLine {
  offset: number;
  length: number;
  reason: string;
}

export interface LogScan {
  entries: ScannedEntry[];
  corrupt: CorruptLine[];
  /** End of the last complete line; bytes after it are a torn append (a crash before its fsync returned). */
  validEnd: number;
}

/** Reads every complete line from `from` on. A damaged line is reported and skipped: the good lines after it are kept. */
export function scanLog(log: Buffer, from: number): LogScan {
  const entries: ScannedEntry[] = [];
  const corrupt: CorruptLine[] = [];
  let start = from;
  while (start < log.length) {
    const newline = log.indexOf(NEWLINE, start);
    if (newline === -1) break;
    const decoded = decodeLine(log.subarray(start, newline));
    if (decoded.ok) entries.push({ entry: decoded.entry, end: newline + 1 });
    else corrupt.push({ offset: start, length: newline + 1 - start, reason: decoded.reason });
    start = newline + 1;
  }
  return { entries, corrupt, validEnd: start };
}

function checksumOf(bytes: Buffer): string {
  return crc32(bytes).toString(16).padStart(CHECKSUM_DIGITS, '0');
}

function isSpoolEntry(value: unknown): value is SpoolEntry {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.id === 'string' && typeof candidate.receivedAt === 'string' && 'record' in candidate;
}
