import { createRequire } from 'node:module';
import type CFBModule from 'cfb';
import { NianbaoError } from '../errors.js';

/**
 * `cfb` is CommonJS, loaded on the first OLE file: content sniffing imports this module for every
 * input, and a PDF or text parse should not pay for parsing (and lexing) 60 kB it never runs.
 */
let cfb: typeof CFBModule | undefined;
const loadCfb = () => (cfb ??= createRequire(import.meta.url)('cfb') as typeof CFBModule);

/**
 * The OLE compound file (CFB) container of the legacy binary Office formats, read through `cfb`.
 * A CFB holds no compression, so every stream is at most as large as the file; the only guard needed
 * is that a broken directory or sector chain ends as a clean 'corrupt' error.
 */

export interface OleFile {
  /** A root-level stream by name (the formats we read keep theirs at the root). */
  stream(name: string): Uint8Array | undefined;
  /** Names of the root-level streams: an embedded object's own streams (a sheet inside a .doc) are not the file's kind. */
  names: string[];
}

export function openOle(bytes: Uint8Array, what: string): OleFile {
  let container: CFBModule.CFB$Container;
  try {
    container = loadCfb().read(bytes, { type: 'buffer' });
  } catch (e) {
    throw new NianbaoError('corrupt', `${what}: broken OLE compound file (${String((e as Error).message ?? e).split('\n')[0]})`);
  }
  const byName = new Map<string, Uint8Array>();
  const names: string[] = [];
  container.FileIndex.forEach((entry, i) => {
    // Type 2 is a stream; storages and the root carry no content of their own.
    if (entry.type !== 2) return;
    const path = container.FullPaths[i] ?? '';
    // "Root Entry/WordDocument": the root storage, then the stream.
    if (path.split('/').filter(Boolean).length !== 2) return;
    names.push(entry.name);
    const c = entry.content;
    byName.set(entry.name, c instanceof Uint8Array ? c : Uint8Array.from(c ?? []));
  });
  return { names, stream: (name) => byName.get(name) };
}

/** What a compound file holds, by its streams: the formats we read, or the name of one we do not. */
export type OleKind = { format: 'doc' | 'xls'; wps: boolean } | { unsupported: string; encrypted?: boolean };

/** Streams that name a format we do not read, checked in order. */
const OTHER_KINDS: [test: (names: Set<string>) => boolean, name: string, encrypted?: boolean][] = [
  [(n) => n.has('EncryptedPackage'), 'password-protected Office document (encrypted .docx/.xlsx)', true],
  [(n) => n.has('PowerPoint Document'), 'PowerPoint 97-2003 presentation (.ppt/.dps)'],
  [(n) => n.has('CONTENTS') && (n.has('SPELLING') || n.has('MatOST')), 'Microsoft Works word processor document (.wps)'],
  [(n) => n.has('WksSSWorkBook'), 'Microsoft Works spreadsheet (.wks/.xlr)'],
  [(n) => n.has('FileHeader') && (n.has('BodyText') || n.has('\u0005HwpSummaryInformation')), 'Hangul word processor document (.hwp)'],
  [(n) => n.has('VisioDocument'), 'Visio drawing (.vsd)'],
  [(n) => [...n].some((s) => s.startsWith('__substg1.0_')), 'Outlook message (.msg)'],
  [(n) => n.has('Equation Native'), 'Equation Editor object'],
];

export function oleKind(ole: OleFile): OleKind {
  const names = new Set(ole.names);
  if (names.has('WordDocument')) return { format: 'doc', wps: writtenByWps(ole) };
  // 'Book' is Excel 5/95 (BIFF5): the adapter names it, and LibreOffice reads it when installed.
  if (names.has('Workbook') || names.has('Book')) return { format: 'xls', wps: writtenByWps(ole) };
  for (const [test, name, encrypted] of OTHER_KINDS) if (test(names)) return { unsupported: name, encrypted };
  const shown = [...names].filter((s) => /^[\x20-\x7e]+$/.test(s)).slice(0, 6);
  return { unsupported: `OLE compound file of an unknown kind${shown.length ? ` (streams: ${shown.join(', ')})` : ''}` };
}

/**
 * WPS Office saves Word 97 and BIFF8 files of its own: it leaves a KSOProductBuildVer property in the
 * document summary, and newer versions a WpsCustomData stream. Only messages use it: the bytes are read alike.
 */
function writtenByWps(ole: OleFile): boolean {
  if (ole.names.some((n) => /^(WpsCustomData|KSO)/.test(n))) return true;
  const summary = ole.stream('\u0005DocumentSummaryInformation');
  if (!summary) return false;
  return latin1(summary).includes('KSOProductBuildVer') || utf16(summary).includes('KSOProductBuildVer');
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

function utf16(b: Uint8Array): string {
  return new TextDecoder('utf-16le').decode(b.subarray(0, b.length & ~1));
}

/** The name of a legacy file in messages: what the user calls it (.wps, .et) when WPS wrote it or the path says so. */
export function legacyName(format: 'doc' | 'xls', wps: boolean, path = ''): string {
  const ext = /\.(wps|et|doc|xls|dot|xlt|wpt|ett)$/i.exec(path)?.[1].toLowerCase();
  if (format === 'doc') return ext === 'wps' || ext === 'wpt' || (wps && !ext) ? 'wps (Word 97 binary)' : wps ? 'doc (WPS Office)' : 'doc';
  return ext === 'et' || ext === 'ett' || (wps && !ext) ? 'et (Excel 97 binary)' : wps ? 'xls (WPS Office)' : 'xls';
}
