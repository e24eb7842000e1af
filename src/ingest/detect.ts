import { createRequire } from 'node:module';
import type { SourceFormat } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import { oleKind, openOle } from './ole.js';

/** What the bytes are, by content first (magic bytes, zip entries), by extension only for plain text. */
export type Detected = SourceFormat | 'ole' | 'image' | 'zip' | 'binary';

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((v, i) => b[i] === v);

export function sniff(bytes: Uint8Array, path = ''): Detected {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'pdf'; // %PDF
  // Some PDFs carry junk before %PDF (the spec allows 1024 bytes).
  if (bytes.length > 8 && latin1(bytes.subarray(0, 1024)).includes('%PDF-')) return 'pdf';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return oleFormat(bytes); // .doc / .wps / .xls / .et
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return zipKind(bytes);
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || startsWith(bytes, [0xff, 0xd8, 0xff]) || startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'image';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'image'; // TIFF
  if (looksBinary(bytes)) return 'binary';
  const head = decodeHead(bytes).toLowerCase();
  if (/^\s*(<!doctype html|<html|<head|<meta|<body|<table|<div|<p[\s>])/.test(head) || /<html[\s>]|<table[\s>]|<body[\s>]/.test(head)) return 'html';
  if (/^mime-version:/m.test(head) && /multipart\/related/.test(head)) return 'html';
  if (/\.(s?html?|mhtml?)$/i.test(path) && head.includes('<')) return 'html';
  return 'text';
}

/** An OLE compound file by its streams: WordDocument (Word, WPS) or Workbook (Excel, WPS ET); 'ole' for any other or a broken one. */
function oleFormat(bytes: Uint8Array): Detected {
  try {
    const kind = oleKind(openOle(bytes, 'ole'));
    return 'format' in kind ? kind.format : 'ole';
  } catch {
    return 'ole';
  }
}

/** Why an OLE compound file that is not a Word or Excel document cannot be read, naming what it is. */
function oleRefusal(bytes: Uint8Array | undefined): NianbaoError {
  const hint = 'convert it to .docx/.xlsx or PDF first, e.g. `libreoffice --headless --convert-to docx`';
  if (!bytes) return new NianbaoError('unsupported', `OLE compound file that is not a Word (.doc/.wps) or Excel (.xls/.et) document: ${hint}`);
  let kind;
  try {
    kind = oleKind(openOle(bytes, 'ole'));
  } catch (e) {
    const reason = e instanceof NianbaoError ? e.message.replace(/^ole: /, '') : 'unreadable';
    return new NianbaoError('corrupt', `legacy Office file (OLE compound file): ${reason}; if another program opens it, ${hint}`);
  }
  if ('format' in kind) return new NianbaoError('unsupported', `${kind.format} file`);
  return new NianbaoError(kind.encrypted ? 'encrypted' : 'unsupported', `${kind.unsupported}: not a format nianbao reads${kind.encrypted ? '' : `; ${hint}`}`);
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

function decodeHead(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 4096);
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le').decode(head);
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be').decode(head);
  return latin1(head);
}

function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  let control = 0;
  for (const b of head) if (b === 0 || (b < 8 && b !== 0)) control++;
  return control > 0;
}

/** Loaded on the first zip: sniffing runs for every input, and most are PDFs and text. */
let fflate: typeof import('fflate') | undefined;
const loadFflate = () => (fflate ??= createRequire(import.meta.url)('fflate') as typeof import('fflate'));

/** Names the zip by its entries without inflating anything but the directory. */
function zipKind(bytes: Uint8Array): Detected {
  let names: string[] = [];
  try {
    loadFflate().unzipSync(bytes, { filter: (f) => { names.push(f.name); return false; } });
  } catch {
    names = [];
  }
  if (names.some((n) => n === 'word/document.xml')) return 'docx';
  if (names.some((n) => n === 'xl/workbook.xml')) return 'xlsx';
  if (names.some((n) => n.toLowerCase().replace(/^(\.?\/)+/, '') === 'ofd.xml')) return 'ofd';
  if (names.length === 0) return 'zip';
  return 'zip';
}

/** Refuse what we cannot read, with the reason a person needs (for OLE files, naming their kind when the bytes are given). */
export function requireReadable(kind: Detected, path: string, bytes?: Uint8Array): SourceFormat {
  switch (kind) {
    case 'ole':
      throw oleRefusal(bytes);
    case 'image':
      return 'image';
    case 'zip':
      throw new NianbaoError(/\.(docx|xlsx|ofd)$/i.test(path) ? 'corrupt' : 'unsupported', 'zip archive that is neither a Word (.docx), a spreadsheet (.xlsx) nor an OFD document, or a truncated one');
    case 'binary':
      throw new NianbaoError('unsupported', 'binary file of an unknown format');
    default:
      return kind;
  }
}
