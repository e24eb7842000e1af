import { spawn } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DocumentModel } from '../../document/model.js';
import { NianbaoError } from '../../errors.js';
import type { IngestOptions } from '../index.js';

/**
 * LibreOffice as a converter for the legacy binary formats: .doc/.wps → .docx and .xls/.et → .xlsx, read
 * then by the DOCX and XLSX adapters. Headless, with a throwaway profile of our own (a desktop LibreOffice
 * already running would otherwise take the request over), in a temporary folder removed afterwards,
 * under a timeout.
 *
 * The timeout is enforced twice: by coreutils `timeout`, which kills soffice's whole process group even
 * when this process is gone (a batch worker terminated for its own time limit), and by a timer here.
 */

export type LegacyFormat = 'doc' | 'xls';

/** Seconds one conversion may take. */
export const SOFFICE_TIMEOUT_S = 120;

const TARGET: Record<LegacyFormat, { ext: string; filter: string; inExt: string }> = {
  doc: { ext: 'docx', filter: 'docx:MS Word 2007 XML', inExt: 'doc' },
  xls: { ext: 'xlsx', filter: 'xlsx:Calc MS Excel 2007 XML', inExt: 'xls' },
};

/** An executable on the PATH, or undefined. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The soffice executable, when LibreOffice is installed (looked up each time: the PATH may change). */
export function sofficePath(): string | undefined {
  return onPath('soffice') ?? onPath('libreoffice');
}

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  timedOut: boolean;
}

function run(cmd: string, args: string[], timeoutS: number): Promise<Ran> {
  const killer = onPath('timeout');
  const [file, argv] = killer ? [killer, ['-s', 'KILL', String(timeoutS), cmd, ...args]] : [cmd, args];
  return new Promise((resolve) => {
    // Its own process group, so the timer below can end soffice's children too.
    const child = spawn(file, argv, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let timedOut = false;
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, (timeoutS + 5) * 1000);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stderr: e.message, timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // `timeout` sends KILL to its whole process group, itself included (or exits 137, or 124 when the
      // command outlived a softer signal); soffice is never killed by anyone else.
      resolve({ code, signal, stderr, timedOut: timedOut || signal === 'SIGKILL' || (killer !== undefined && (code === 137 || code === 124)) });
    });
  });
}

let version: Promise<string> | undefined;

/** "soffice 7.4.7.2", asked once per process. */
function sofficeVersion(cmd: string): Promise<string> {
  version ??= new Promise((resolve) => {
    const child = spawn(cmd, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', () => resolve('soffice'));
    child.on('close', () => {
      clearTimeout(timer);
      const m = /LibreOffice\s+([\d.]+)/.exec(out);
      resolve(m ? `soffice ${m[1]}` : 'soffice');
    });
  });
  return version;
}

/**
 * One throwaway profile per process (per worker thread in a batch), removed at exit: a new profile costs
 * about a second of a conversion's five or six. Conversions in one process take turns, since two soffice
 * instances cannot share a profile (and each is heavy enough that running them side by side gains little).
 */
let profile: string | undefined;
let queue: Promise<unknown> = Promise.resolve();

function serially<T>(task: () => Promise<T>): Promise<T> {
  const next = queue.then(task, task);
  queue = next.catch(() => undefined);
  return next;
}

async function profileDir(): Promise<string> {
  if (profile) return profile;
  const dir = await mkdtemp(path.join(tmpdir(), 'nianbao-soffice-profile-'));
  profile = dir;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function dropProfile(): void {
  if (!profile) return;
  rmSync(profile, { recursive: true, force: true });
  profile = undefined;
}

/** Converts with LibreOffice and reads the result with the DOCX or XLSX adapter; the model keeps the legacy format and names the converter. */
export async function readConverted(format: LegacyFormat, bytes: Uint8Array, opts: IngestOptions, what: string, timeoutS = SOFFICE_TIMEOUT_S): Promise<DocumentModel> {
  const cmd = sofficePath();
  if (!cmd) throw new NianbaoError('unsupported', `${what}: conversion with soffice asked for, but LibreOffice (soffice) is not on the PATH`);
  const target = TARGET[format];
  const work = await mkdtemp(path.join(tmpdir(), 'nianbao-soffice-'));
  try {
    const input = path.join(work, `input.${target.inExt}`);
    const outDir = path.join(work, 'out');
    await writeFile(input, bytes);
    const ran = await serially(async () => {
      const profile = await profileDir();
      const r = await run(cmd, [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--nologo', '--nolockcheck', '--convert-to', target.filter, '--outdir', outDir, input], timeoutS);
      // A killed soffice may leave its profile locked or half-written: the next conversion starts a new one.
      if (r.timedOut || r.code !== 0) dropProfile();
      return r;
    });
    if (ran.timedOut) throw new NianbaoError('timeout', `${what}: LibreOffice took longer than ${timeoutS} s to convert it`);
    const produced = await readdir(outDir).catch(() => [] as string[]);
    const out = produced.find((f) => f.toLowerCase().endsWith(`.${target.ext}`));
    if (ran.code !== 0 || !out) {
      const reason = ran.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit ${ran.code ?? ran.signal}`;
      throw new NianbaoError('corrupt', `${what}: LibreOffice could not convert it (${reason.slice(0, 200)})`);
    }
    const converted = new Uint8Array(await readFile(path.join(outDir, out)));
    const adapter = format === 'doc' ? await import('../docx.js') : await import('../xlsx.js');
    const doc = await adapter.read(converted, { ...opts, path: `${opts.path ?? what} (converted to .${target.ext})` });
    return { ...doc, format, converter: await sofficeVersion(cmd) };
  } finally {
    await rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * The reading policy for a legacy file. By default the pure-JS reader, and LibreOffice when that fails
 * (a damaged file LibreOffice repairs, Word 6/95 or Excel 5/95) and soffice is installed; the reader's
 * own error stands when LibreOffice fails too. `convertWith: 'soffice'` converts first (and falls back to
 * the built-in reader, with a warning, when LibreOffice fails); 'none' never converts.
 * A password-protected file is not converted: LibreOffice cannot open it either.
 */
export async function readLegacy(
  format: LegacyFormat,
  bytes: Uint8Array,
  opts: IngestOptions,
  what: string,
  pure: (bytes: Uint8Array, opts: IngestOptions) => Promise<DocumentModel>,
): Promise<DocumentModel> {
  if (opts.convertWith === 'soffice') {
    try {
      return await readConverted(format, bytes, opts, what);
    } catch (e) {
      // No soffice at all is the caller's setup to fix; a file soffice fails on may still be readable here,
      // and a password-protected one is better named by the built-in reader.
      if (!(e instanceof NianbaoError) || !sofficePath()) throw e;
      let doc: DocumentModel;
      try {
        doc = await pure(bytes, opts);
      } catch (own) {
        throw own instanceof NianbaoError && own.code === 'encrypted' ? own : e;
      }
      return { ...doc, warnings: [`${e.message}; read by the built-in reader instead`, ...doc.warnings] };
    }
  }
  try {
    return await pure(bytes, opts);
  } catch (e) {
    const retry = e instanceof NianbaoError && (e.code === 'corrupt' || e.code === 'unsupported') && opts.convertWith !== 'none' && sofficePath();
    if (!retry) throw e;
    try {
      const doc = await readConverted(format, bytes, opts, what);
      return { ...doc, warnings: [`${e.message}; read through LibreOffice instead`, ...doc.warnings] };
    } catch {
      throw e;
    }
  }
}
