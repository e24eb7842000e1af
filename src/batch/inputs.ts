import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import type { Detected } from '../ingest/detect.js';
import { requireReadable } from '../ingest/detect.js';
import type { SourceFormat } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import { globMatcher, hasMagic, splitPattern } from './glob.js';

/** One file to account for: `rel` is what records, shards and duplicates are keyed on. */
export interface InputFile {
  abs: string;
  /** `/`-separated, relative to the batch root. */
  rel: string;
  /** Named on the command line or in a list (not found by walking): always gets a record. */
  explicit: boolean;
  /** Set when an explicitly named path does not exist or cannot be listed. */
  missing?: string;
}

export interface Expansion {
  files: InputFile[];
  root: string;
  /** Globs that matched nothing: worth a warning, not a record (there is no file to name). */
  emptyGlobs: string[];
}

/**
 * Expands batch arguments (files, directories walked recursively, quoted globs) and
 * `--from` list entries (one per line, `#` comments; relative to `cwd`, like the
 * arguments) into a de-duplicated, sorted list.
 *
 * The root that record paths are relative to is `root` when given, otherwise the
 * deepest directory containing every argument's base (a directory argument
 * itself, a glob's static prefix, a file's directory): for the common
 * `nianbao batch archive/ --out out` every path is relative to `archive/`.
 */
export async function expandInputs(args: string[], opts: { cwd: string; root?: string }): Promise<Expansion> {
  const found = new Map<string, InputFile>();
  const bases: string[] = [];
  const emptyGlobs: string[] = [];
  const add = (abs: string, explicit: boolean, missing?: string) => {
    const prev = found.get(abs);
    if (prev) {
      prev.explicit ||= explicit;
      return;
    }
    found.set(abs, { abs, rel: '', explicit, ...(missing ? { missing } : {}) });
  };

  for (const arg of args) {
    // A name that exists is a path, whatever characters it has (`gx[2024].txt`, `a{1}.txt`);
    // only what does not exist is tried as a pattern.
    const literal = await stat(resolve(opts.cwd, arg)).then(() => true, () => false);
    if (!literal && hasMagic(arg)) {
      const { base, rest } = splitPattern(arg);
      const baseAbs = resolve(opts.cwd, base);
      bases.push(baseAbs);
      const match = globMatcher(rest, { dot: true });
      let n = 0;
      for await (const file of walk(baseAbs, { includeHidden: rest.startsWith('.') })) {
        if (match(toPosix(relative(baseAbs, file)))) {
          add(file, false);
          n++;
        }
      }
      if (n === 0) emptyGlobs.push(arg);
      continue;
    }
    const abs = resolve(opts.cwd, arg);
    let st;
    try {
      st = await stat(abs);
    } catch (e) {
      bases.push(dirname(abs));
      add(abs, true, errnoReason(e));
      continue;
    }
    if (st.isDirectory()) {
      bases.push(abs);
      for await (const file of walk(abs, { includeHidden: false })) add(file, false);
    } else {
      bases.push(dirname(abs));
      add(abs, true);
    }
  }

  const root = opts.root ? resolve(opts.cwd, opts.root) : commonDir(bases.length ? bases : [opts.cwd]);
  const files = [...found.values()];
  for (const f of files) f.rel = toPosix(relative(root, f.abs)) || f.abs;
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, root, emptyGlobs };
}

/** Reads a `--from` list: one path or glob per line; blank lines and `#` comments ignored. */
export async function readList(file: string, cwd: string): Promise<string[]> {
  return parseList(await readFile(resolve(cwd, file), 'utf8'));
}

export function parseList(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * Depth-first, sorted (so record order and shard membership never depend on the
 * file system's listing order). Dot entries and Office lock files (`~$x.docx`) are
 * skipped; symlinked directories are not followed, which rules out cycles.
 */
async function* walk(dir: string, opts: { includeHidden: boolean }): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if ((!opts.includeHidden && e.name.startsWith('.')) || e.name.startsWith('~$')) continue;
    const p = resolve(dir, e.name);
    if (e.isDirectory()) yield* walk(p, opts);
    else if (e.isFile()) yield p;
    else if (e.isSymbolicLink()) {
      try {
        if ((await stat(p)).isFile()) yield p;
      } catch {
        // dangling link: nothing to read, and nothing a person named explicitly
      }
    }
  }
}

function commonDir(dirs: string[]): string {
  let parts = dirs[0].split(sep);
  for (const d of dirs.slice(1)) {
    const q = d.split(sep);
    let i = 0;
    while (i < parts.length && i < q.length && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  const joined = parts.join(sep);
  return joined === '' ? sep : joined;
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function errnoReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? 'error'})`;
}

// ---------------------------------------------------------------------------
// Shards

/**
 * Whether `rel` belongs to shard `k` of `n` (1-based): the first 32 bits of
 * sha1(rel) modulo n. Stable across machines and runs, independent of the order
 * or number of the other inputs, so N independent jobs cover every input once.
 */
export function inShard(rel: string, k: number, n: number): boolean {
  const h = createHash('sha1').update(rel).digest();
  return h.readUInt32BE(0) % n === k - 1;
}

// ---------------------------------------------------------------------------
// Which files to parse

/** Image files read by OCR even when found by walking a folder (scanners write TIFF). */
const SCAN_EXT = new Set(['tif', 'tiff']);

/** Extensions a disclosure report is published with, including ones we cannot read. */
const REPORT_EXT = new Set([
  'pdf', 'docx', 'docm', 'dotx', 'doc', 'dot', 'wps', 'wpt', 'rtf',
  'xlsx', 'xlsm', 'xls', 'et', 'ett',
  'html', 'htm', 'shtml', 'xhtml', 'mht', 'mhtml',
  'txt', 'text', 'ofd',
]);

/** Never opened while walking: reading a 2 GB video to sniff it would be waste. */
const IRRELEVANT_EXT = new Set([
  'jpg', 'jpeg', 'png', 'gif', 'bmp', 'tif', 'tiff', 'webp', 'svg', 'ico', 'heic',
  'zip', 'rar', '7z', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'tar', 'iso', 'dmg',
  'mp3', 'mp4', 'avi', 'mov', 'mkv', 'wav', 'flv', 'wmv',
  'exe', 'dll', 'so', 'msi', 'apk', 'bin',
  'js', 'mjs', 'cjs', 'ts', 'css', 'json', 'jsonl', 'xml', 'yml', 'yaml', 'map', 'md', 'lock', 'log',
  'woff', 'woff2', 'ttf', 'otf', 'eot',
  'ppt', 'pptx', 'key', 'psd', 'ai', 'eps', 'dwg',
]);

export function extOf(rel: string): string {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Walked files with these extensions are skipped unread (explicit ones are still recorded). */
export function skipUnread(file: InputFile): boolean {
  return !file.explicit && IRRELEVANT_EXT.has(extOf(file.rel));
}

export type Decision =
  | { action: 'parse'; format: SourceFormat }
  | { action: 'fail'; code: string; reason: string; detected: Detected }
  | { action: 'skip'; reason: string };

/**
 * Decides from the sniffed content (not the name) what to do with a file. Report-like
 * files we cannot read (truncated .docx, unknown OLE kinds) become failures with the
 * reason, so an archive's gaps show up in the records; images other than TIFF scans,
 * other archives and stray binaries found by walking are skipped; anything named
 * explicitly is recorded (a named image is read by OCR).
 */
export function decide(detected: Detected, file: InputFile, size: number): Decision {
  const ext = extOf(file.rel);
  const reportLike = REPORT_EXT.has(ext) || file.explicit;
  if (size === 0) {
    return reportLike ? { action: 'fail', code: 'corrupt', reason: 'empty file', detected } : { action: 'skip', reason: 'empty file' };
  }
  switch (detected) {
    case 'pdf':
    case 'docx':
    case 'xlsx':
    case 'ofd':
    case 'doc':
    case 'xls':
      return { action: 'parse', format: detected };
    case 'image':
      // Scans: a TIFF in an archive is a scanned document; other images found by walking are photos and
      // logos far more often than reports, and OCR costs seconds a page, so only named ones are read.
      if (file.explicit || SCAN_EXT.has(ext)) return { action: 'parse', format: 'image' };
      return { action: 'skip', reason: 'image file' };
    case 'html':
      return IRRELEVANT_EXT.has(ext) && !file.explicit ? { action: 'skip', reason: `.${ext} file` } : { action: 'parse', format: 'html' };
    case 'text':
      return reportLike ? { action: 'parse', format: 'text' } : { action: 'skip', reason: `text file with a non-report extension (.${ext || 'none'})` };
    case 'ole':
    case 'zip':
    case 'binary': {
      if (!reportLike) return { action: 'skip', reason: `${detected} file` };
      if (detected === 'binary' && REPORT_EXT.has(ext)) {
        return { action: 'fail', code: 'corrupt', reason: `.${ext} file whose content is not a PDF, Word, Excel or text document (truncated or damaged)`, detected };
      }
      try {
        requireReadable(detected, file.rel);
      } catch (e) {
        if (e instanceof NianbaoError) return { action: 'fail', code: e.code, reason: e.message, detected };
        throw e;
      }
      return { action: 'fail', code: 'unsupported', reason: `${detected} file`, detected };
    }
  }
}
