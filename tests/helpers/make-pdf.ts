/**
 * A tiny PDF writer for tests: pages with text (Helvetica, or STSong-Light through the UniGB-UCS2-H CMap,
 * a non-embedded CJK font that only reads with pdfjs' cMaps), stroked lines, filled rectangles, and
 * optional RC4 (revision 2) encryption. pdfjs cannot write PDFs, and committed binaries hide what they test.
 */
import { createHash } from 'node:crypto';

export interface PdfText {
  /** PDF user space: origin bottom-left, y up; (x, y) is the baseline start. */
  x: number;
  y: number;
  text: string;
  size?: number;
  /** 'cjk' for STSong-Light (any BMP text); default 'latin' (Helvetica, ASCII only). */
  font?: 'latin' | 'cjk';
}

export interface PdfPage {
  width?: number;
  height?: number;
  texts?: PdfText[];
  /** Stroked lines x1, y1, x2, y2. */
  lines?: [number, number, number, number][];
  /** Filled rectangles x, y, w, h (thin ones are how Word draws borders). */
  rects?: [number, number, number, number][];
  /** Raw content appended to the page's stream. */
  raw?: string;
}

export interface PdfOptions {
  /** RC4 40-bit encryption; a non-empty user password is needed to open the file. */
  encrypt?: { userPassword: string; ownerPassword?: string };
}

const PAD = Buffer.from('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A', 'hex');

function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
    out[k] = data[k] ^ s[(s[i] + s[j]) & 255];
  }
  return out;
}

const md5 = (...parts: Uint8Array[]) => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
};
const padded = (pw: string) => Buffer.concat([Buffer.from(pw, 'latin1'), PAD]).subarray(0, 32);

/** Per-object RC4 key (revision 2: 5-byte file key + object number + generation 0). */
function objectKey(fileKey: Buffer, num: number): Buffer {
  return md5(fileKey, Buffer.from([num & 255, (num >> 8) & 255, (num >> 16) & 255, 0, 0])).subarray(0, 10);
}

function latinString(s: string): string {
  return `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

function ucs2Hex(s: string): string {
  let hex = '';
  for (const ch of s) hex += (ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0');
  return `<${hex}>`;
}

function content(page: PdfPage): string {
  const ops: string[] = [];
  for (const [x1, y1, x2, y2] of page.lines ?? []) ops.push(`0.5 w ${x1} ${y1} m ${x2} ${y2} l S`);
  for (const [x, y, w, h] of page.rects ?? []) ops.push(`${x} ${y} ${w} ${h} re f`);
  for (const t of page.texts ?? []) {
    const cjk = t.font === 'cjk';
    ops.push(`BT /${cjk ? 'F2' : 'F1'} ${t.size ?? 10} Tf ${t.x} ${t.y} Td ${cjk ? ucs2Hex(t.text) : latinString(t.text)} Tj ET`);
  }
  if (page.raw) ops.push(page.raw);
  return ops.join('\n');
}

export function makePdf(pages: readonly PdfPage[], opts: PdfOptions = {}): Uint8Array {
  // Objects: 1 catalog, 2 pages, 3 Helvetica, 4 Type0 CJK font, 5 CIDFont, 6 its descriptor (without one
  // pdfjs treats the font as a simple standard font and ignores the CMap), then per page: page, content.
  const objects: (string | { dict: string; stream: Buffer })[] = [];
  const kids = pages.map((_, i) => `${7 + i * 2} 0 R`).join(' ');
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  objects.push('<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [5 0 R] >>');
  objects.push('<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry \u0001Adobe\u0002 /Ordering \u0001GB1\u0002 /Supplement 4 >> /DW 1000 /FontDescriptor 6 0 R >>');
  objects.push('<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>');
  for (const [i, page] of pages.entries()) {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width ?? 595} ${page.height ?? 842}] ` +
        `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${8 + i * 2} 0 R >>`,
    );
    objects.push({ dict: '', stream: Buffer.from(content(page), 'latin1') });
  }

  const id = md5(Buffer.from(JSON.stringify(pages)));
  let encryptRef = '';
  let fileKey: Buffer | undefined;
  if (opts.encrypt) {
    const p = -44; // print + copy allowed; any value works, it only has to match the key derivation
    const ownerKey = md5(padded(opts.encrypt.ownerPassword ?? 'owner')).subarray(0, 5);
    const o = rc4(ownerKey, padded(opts.encrypt.userPassword));
    const pBytes = Buffer.alloc(4);
    pBytes.writeInt32LE(p);
    fileKey = md5(padded(opts.encrypt.userPassword), o, pBytes, id).subarray(0, 5);
    const u = rc4(fileKey, PAD);
    objects.push(`<< /Filter /Standard /V 1 /R 2 /O <${o.toString('hex')}> /U <${u.toString('hex')}> /P ${p} >>`);
    encryptRef = ` /Encrypt ${objects.length} 0 R`;
  }

  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n', 'latin1')];
  let offset = chunks[0].length;
  const offsets: number[] = [];
  objects.forEach((obj, k) => {
    const num = k + 1;
    offsets.push(offset);
    let body: Buffer;
    if (typeof obj === 'string') {
      // Strings inside objects are encrypted too (the CIDFont's registry and ordering name its CMaps).
      const text = obj.replace(/\u0001([^\u0002]*)\u0002/g, (_, str: string) =>
        fileKey && num !== objects.length ? `<${rc4(objectKey(fileKey, num), Buffer.from(str, 'latin1')).toString('hex')}>` : `(${str})`,
      );
      body = Buffer.from(`${num} 0 obj\n${text}\nendobj\n`, 'latin1');
    }
    else {
      let data = obj.stream;
      if (fileKey && !(encryptRef && num === objects.length)) {
        data = rc4(objectKey(fileKey, num), data);
      }
      body = Buffer.concat([
        Buffer.from(`${num} 0 obj\n<< /Length ${data.length} >>\nstream\n`, 'latin1'),
        data,
        Buffer.from('\nendstream\nendobj\n', 'latin1'),
      ]);
    }
    chunks.push(body);
    offset += body.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  const idHex = id.toString('hex');
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encryptRef} /ID [<${idHex}> <${idHex}>] >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(chunks));
}
