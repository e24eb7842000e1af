import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

export interface Line {
  text: string;
  /** Byte offset of the line's first byte, so a later pass can re-read just this line. */
  offset: number;
  /** Bytes, without the newline. */
  length: number;
  /** False for a final line without '\n' (a torn tail). */
  terminated: boolean;
}

/**
 * Streams the lines of a JSONL file with their byte offsets, holding one chunk and
 * one line in memory at a time (a record with a full ParseResult can be ~100 kB;
 * a batch file can hold 10,000 of them).
 */
export async function* readLines(file: string): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let offset = 0;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      const buf = pendingLength ? Buffer.concat([...pending, piece]) : piece;
      yield { text: buf.toString('utf8'), offset, length: buf.length, terminated: true };
      offset += buf.length + 1;
      pending = [];
      pendingLength = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingLength += chunk.length - start;
    }
  }
  if (pendingLength) {
    const buf = Buffer.concat(pending);
    yield { text: buf.toString('utf8'), offset, length: buf.length, terminated: false };
  }
}

/** Re-reads lines by offset with one open file handle (the cross-report pass). */
export class LineReader {
  private constructor(private readonly fh: Awaited<ReturnType<typeof open>>) {}
  static async open(file: string): Promise<LineReader> {
    return new LineReader(await open(file, 'r'));
  }
  async read(offset: number, length: number): Promise<string> {
    const buf = Buffer.alloc(length);
    await this.fh.read(buf, 0, length, offset);
    return buf.toString('utf8');
  }
  async close(): Promise<void> {
    await this.fh.close();
  }
}
