import { closeSync, fdatasyncSync, fstatSync, openSync, writeSync } from 'node:fs';
import { open, stat, truncate } from 'node:fs/promises';
import { readLines } from './jsonl.js';
import { quickIndex, serializeRecord, type BatchRecord } from './records.js';

/**
 * The append-only record file `reports.jsonl`.
 *
 * Atomicity: each record is one `write(2)` of a whole line (`JSON + '\n'`) on a
 * descriptor opened with O_APPEND, so a process killed at any instant leaves
 * either the whole line or, at worst, a torn last line without its '\n'. Opening
 * the journal again truncates such a tail (`repairTail`), and the input it
 * belonged to is processed again on `--resume`.
 *
 * Durability (fsync policy): `fdatasync` after every `SYNC_EVERY` records or
 * `SYNC_MS` milliseconds, whichever comes first, and on close. A killed process
 * loses nothing that was written (the page cache survives it); a power failure or
 * kernel crash can lose up to the last second of records, which `--resume` then
 * redoes. Syncing every record would cost a disk flush per file for no gain in
 * the common case.
 */
export const SYNC_EVERY = 100;
export const SYNC_MS = 1000;

/** Where a record's line is: byte offset and length without the newline. */
export interface Placed {
  offset: number;
  length: number;
}

const NEWLINE = Buffer.from('\n');

export interface JournalIndex {
  /** sha256 → the first path recorded with that content. */
  byHash: Map<string, string>;
  /** Paths recorded with each hash, to tell "already done" from "same content elsewhere". */
  pathsByHash: Map<string, Set<string>>;
  /** Paths of failures recorded without a hash (the file could not be read). */
  unhashedPaths: Set<string>;
  records: number;
  /** Lines that were not records (should be none; counted so a summary can say so). */
  badLines: number;
}

export class Journal {
  private fd: number;
  /** Bytes in the file: where the next line starts (O_APPEND, and nobody else writes it). */
  private size: number;
  private sinceSync = 0;
  private lastSync = Date.now();
  readonly index: JournalIndex;
  /** Bytes of torn tail removed when opening. */
  readonly repaired: number;

  private constructor(fd: number, index: JournalIndex, repaired: number) {
    this.fd = fd;
    this.size = fstatSync(fd).size;
    this.startSize = this.size;
    this.index = index;
    this.repaired = repaired;
  }

  /**
   * `mode: 'resume'` keeps and indexes existing records; `'overwrite'` empties the
   * file; `'new'` expects it absent or empty (the caller checks, to refuse clobbering).
   */
  static async open(file: string, mode: 'new' | 'resume' | 'overwrite'): Promise<Journal> {
    const repaired = mode === 'overwrite' ? 0 : await repairTail(file);
    const index = mode === 'resume' ? await indexJournal(file) : emptyIndex();
    const fd = openSync(file, mode === 'overwrite' ? 'w' : 'a');
    return new Journal(fd, index, repaired);
  }

  /** Where the file ended when it was opened: records before it are an earlier run's. */
  readonly startSize: number;

  append(record: BatchRecord): Placed {
    return this.appendLine(serializeRecord(record), record);
  }

  /**
   * A record already serialised (see okRecordBytes), as text or as its UTF-8 bytes without the newline;
   * `meta` is what the index keeps of it. Returns where the line went, for re-reading it.
   */
  appendLine(line: string | Uint8Array, meta: { path: string; sha256?: string }): Placed {
    const buf = typeof line === 'string' ? Buffer.from(line + '\n', 'utf8') : Buffer.concat([line, NEWLINE]);
    const placed = { offset: this.size, length: buf.length - 1 };
    // A short write to a regular file happens only on a full disk or a signal; carrying on
    // keeps the line whole in the normal case and at worst leaves a tail repairTail removes.
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    this.size += buf.length;
    noteIn(this.index, meta.path, meta.sha256);
    this.sinceSync++;
    if (this.sinceSync >= SYNC_EVERY || Date.now() - this.lastSync >= SYNC_MS) this.sync();
    return placed;
  }

  sync(): void {
    fdatasyncSync(this.fd);
    this.sinceSync = 0;
    this.lastSync = Date.now();
  }

  close(): void {
    if (this.fd < 0) return;
    this.sync();
    closeSync(this.fd);
    this.fd = -1;
  }
}

function emptyIndex(): JournalIndex {
  return { byHash: new Map(), pathsByHash: new Map(), unhashedPaths: new Set(), records: 0, badLines: 0 };
}

function noteIn(index: JournalIndex, path: string, sha256: string | undefined): void {
  index.records++;
  if (!sha256) {
    index.unhashedPaths.add(path);
    return;
  }
  if (!index.byHash.has(sha256)) index.byHash.set(sha256, path);
  let set = index.pathsByHash.get(sha256);
  if (!set) index.pathsByHash.set(sha256, (set = new Set()));
  set.add(path);
}

export async function indexJournal(file: string): Promise<JournalIndex> {
  const index = emptyIndex();
  try {
    await stat(file);
  } catch {
    return index;
  }
  for await (const line of readLines(file)) {
    if (line.text === '') continue;
    const q = quickIndex(line.text);
    if (!q) {
      index.badLines++;
      continue;
    }
    noteIn(index, q.path, q.sha256);
  }
  return index;
}

/**
 * Truncates a torn last line (bytes after the final '\n'), and a final line that
 * has its '\n' but is not valid JSON (not produced by `append`, but cheap to check).
 * Returns the number of bytes removed.
 */
export async function repairTail(file: string): Promise<number> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return 0;
  }
  if (size === 0) return 0;
  const fh = await open(file, 'r');
  try {
    // Scan backwards in blocks for the last '\n', then check the line before it.
    const block = 1 << 16;
    let end = size;
    let lastNl = -1;
    const tail = Buffer.alloc(1);
    await fh.read(tail, 0, 1, size - 1);
    if (tail[0] === 0x0a) lastNl = size - 1;
    else {
      for (let pos = size; pos > 0 && lastNl < 0; pos -= block) {
        const start = Math.max(0, pos - block);
        const buf = Buffer.alloc(pos - start);
        await fh.read(buf, 0, buf.length, start);
        const i = buf.lastIndexOf(0x0a);
        if (i >= 0) lastNl = start + i;
      }
    }
    end = lastNl + 1;
    // Validate the last complete line.
    if (end > 0) {
      let prevNl = -1;
      for (let pos = end - 1; pos > 0 && prevNl < 0; pos -= block) {
        const start = Math.max(0, pos - block);
        const buf = Buffer.alloc(pos - start);
        await fh.read(buf, 0, buf.length, start);
        const i = buf.lastIndexOf(0x0a);
        if (i >= 0) prevNl = start + i;
      }
      const lineStart = prevNl + 1;
      const buf = Buffer.alloc(end - 1 - lineStart);
      await fh.read(buf, 0, buf.length, lineStart);
      try {
        JSON.parse(buf.toString('utf8'));
      } catch {
        end = lineStart;
      }
    }
    if (end === size) return 0;
    await fh.close();
    await truncate(file, end);
    return size - end;
  } finally {
    await fh.close().catch(() => undefined);
  }
}
