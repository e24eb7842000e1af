import { NianbaoError } from '../errors.js';

/**
 * The early rejection of large inputs that are plainly not reports, before the
 * layout whose cost grows with their size (a 50 MB text file took 54 s and 2.4 GB
 * to be refused by the recognizer). It looks only at bytes, in every encoding the
 * adapters read, for the one word every disclosure report prints near its start:
 * 公开 (信息公开, 政务公开; 公開 in traditional script). The recognizer stays the
 * judge of what a report is: this only spares it the hopeless big cases, so it
 * applies above EARLY_CHECK_BYTES and looks at the first HEAD_BYTES.
 */
export const EARLY_CHECK_BYTES = 2 * 1024 * 1024;
export const HEAD_BYTES = 2 * 1024 * 1024;

const enc = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
const ascii = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));

/** 公开 / 公開 as each supported encoding writes them (GB18030 shares GBK's bytes for these). */
const SIGNATURES: Uint8Array[] = [
  enc('e585ace5bc80'), // UTF-8 公开
  enc('e585ace9968b'), // UTF-8 公開
  enc('b9abbfaa'), // GBK / GB18030 公开
  enc('a4bdb67d'), // Big5 公開
  enc('6c51005f'), // UTF-16LE 公开
  enc('516c5f00'), // UTF-16BE 公开
  ascii('=E5=85=AC=E5=BC=80'), // quoted-printable UTF-8 (MHTML)
  ascii('=B9=AB=BF=AA'), // quoted-printable GBK
  ascii('&#20844;&#24320;'), // HTML numeric references
  ascii('&#x516c;&#x5f00;'),
  ascii('&#x516C;&#x5F00;'),
];

/** Whether the bytes say 公开 in any encoding, also when markup splits the word (`公</w:t></w:r><w:r><w:t>开`). */
export function hasSignature(head: Uint8Array): boolean {
  if (SIGNATURES.some((sig) => indexOf(head, sig) >= 0)) return true;
  // Tags are ASCII in every 8-bit encoding, so they can be cut out of the bytes read as latin1.
  const untagged = Buffer.from(Buffer.from(head.buffer, head.byteOffset, head.length).toString('latin1').replace(/<[^<>]*>/g, ''), 'latin1');
  return SIGNATURES.some((sig) => indexOf(untagged, sig) >= 0);
}

/** MHTML parts may be base64 and a byte search cannot see into them: those are left to the adapter. */
function opaque(head: Uint8Array): boolean {
  const start = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 4096)).toString('latin1').toLowerCase();
  return /^mime-version:/m.test(start) && /content-transfer-encoding:\s*base64/.test(Buffer.from(head.buffer, head.byteOffset, head.length).toString('latin1').toLowerCase());
}

/** Plain text past this is refused outright: a report's text is well under 1 MB, and layout time grows with size. */
export const MAX_TEXT_BYTES = 32 * 1024 * 1024;

/** Throws not-report for a large text or HTML file whose first part never says 公开. */
export function rejectEarly(bytes: Uint8Array, what: string): void {
  if (bytes.length <= EARLY_CHECK_BYTES) return;
  if (what === 'text file' && bytes.length > MAX_TEXT_BYTES) {
    throw new NianbaoError('too-large', `${what} of ${Math.round(bytes.length / 1048576)} MB: a report's text is well under 1 MB (limit ${MAX_TEXT_BYTES / 1048576} MB)`);
  }
  const head = bytes.subarray(0, HEAD_BYTES);
  if (hasSignature(head) || opaque(head)) return;
  throw new NianbaoError(
    'not-report',
    `not a government information disclosure annual report (no 信息公开 in the first ${HEAD_BYTES / 1048576} MB of this ${Math.round(bytes.length / 1048576)} MB ${what})`,
  );
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  for (let i = hay.indexOf(first); i >= 0 && i <= hay.length - needle.length; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
