import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import type { DocumentModel } from '../../document/model.js';
import { NianbaoError } from '../../errors.js';
import { converterHost, tooLate } from './host.js';
import { killGroup } from './kill-group.js';
import type { IngestOptions } from '../index.js';

/**
 * LibreOffice as a converter for the legacy binary formats: .doc/.wps → .docx and .xls/.et → .xlsx, read
 * then by the DOCX and XLSX adapters. Headless, with a throwaway profile of our own (a desktop LibreOffice
 * already running would otherwise take the request over), in a temporary folder removed afterwards,
 * under a deadline: the file's own (`deadlineAt`, what a worker has left of `--timeout`), else SOFFICE_TIMEOUT_S.
 *
 * The deadline is enforced three times: by coreutils `timeout`, which kills soffice's whole process group
 * even when this process is gone, by a timer here, and by the worker pool, which kills the group of a
 * conversion whose worker it terminates (see ConverterHost).
 */

export type LegacyFormat = 'doc' | 'xls';

/** Seconds one conversion may take when the parse has no deadline of its own (an in-thread library call). */
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

/** Runs `cmd` in a process group of its own, killed whole after `timeoutMs`; `started` is told the group's id. */
function run(cmd: string, args: string[], timeoutMs: number, started: (pgid: number) => void): Promise<Ran> {
  const killer = onPath('timeout');
  // coreutils `timeout` kills soffice's whole process group at the deadline even when this process is gone.
  const [file, argv] = killer ? [killer, ['-s', 'KILL', (timeoutMs / 1000).toFixed(2), cmd, ...args]] : [cmd, args];
  return new Promise((resolve) => {
    // Its own process group, so the timer below (or the pool, when it ends this worker) can end soffice's children too.
    const child = spawn(file, argv, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    if (child.pid) started(child.pid);
    let stderr = '';
    let timedOut = false;
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs + 200);
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

export { killGroup };


/** Left for reading the converted file and the rest of the parse, out of what remains before the deadline. */
const AFTER_CONVERSION_MS = 500;
/** Below this LibreOffice cannot even start: the conversion is not tried. */
const MIN_CONVERSION_MS = 1000;

/** "soffice 7.4.7.2", from the converted file's own record of the program that wrote it (no second soffice run). */
function converterName(zip: Uint8Array): string {
  try {
    const app = unzipSync(zip, { filter: (f) => f.name === 'docProps/app.xml' })['docProps/app.xml'];
    const m = app && /<Application>LibreOffice\/([\d.]+)/.exec(strFromU8(app));
    return m ? `soffice ${m[1]}` : 'soffice';
  } catch {
    return 'soffice';
  }
}

/**
 * Converts with LibreOffice and reads the result with the DOCX or XLSX adapter; the model keeps the legacy
 * format and names the converter. With `opts.deadlineAt` the conversion, its wait for a turn included,
 * ends before that moment (`timeout`); without it, after `timeoutS`.
 */
export async function readConverted(format: LegacyFormat, bytes: Uint8Array, opts: IngestOptions, what: string, timeoutS = SOFFICE_TIMEOUT_S): Promise<DocumentModel> {
  const cmd = sofficePath();
  if (!cmd) throw new NianbaoError('unsupported', `${what}: conversion with soffice asked for, but LibreOffice (soffice) is not on the PATH`);
  const target = TARGET[format];
  const deadlineAt = opts.deadlineAt;
  const limit = deadlineAt === undefined ? `${timeoutS} s` : 'the deadline';
  // With a deadline: the conversion must end AFTER_CONVERSION_MS before it, and is not started with less than MIN_CONVERSION_MS.
  const budget = () => (deadlineAt === undefined ? timeoutS * 1000 : deadlineAt - AFTER_CONVERSION_MS - Date.now());
  if (budget() < MIN_CONVERSION_MS) throw tooLate(what, 'too little time left before the deadline to convert it with LibreOffice');
  const work = await mkdtemp(path.join(tmpdir(), 'nianbao-soffice-'));
  try {
    const input = path.join(work, `input.${target.inExt}`);
    const outDir = path.join(work, 'out');
    await writeFile(input, bytes);
    const turn = await converterHost().turn(deadlineAt === undefined ? undefined : deadlineAt - AFTER_CONVERSION_MS - MIN_CONVERSION_MS, what);
    let ran: Ran;
    try {
      const ms = budget();
      if (ms < MIN_CONVERSION_MS) throw tooLate(what, 'the converter was free again too close to the deadline');
      ran = await run(cmd, [`-env:UserInstallation=${pathToFileURL(turn.profile).href}`, '--headless', '--norestore', '--nologo', '--nolockcheck', '--convert-to', target.filter, '--outdir', outDir, input], ms, (pgid) => turn.started(pgid));
    } catch (e) {
      turn.done(true);
      throw e;
    }
    // A killed soffice may leave its profile locked or half-written: the next conversion starts a new one.
    // One that gave up on a file itself (exit 1, "source file could not be loaded") leaves it usable.
    turn.done(ran.timedOut || ran.signal !== null || ran.code === null);
    if (ran.timedOut) throw tooLate(what, `LibreOffice could not convert it within ${limit}`);
    const produced = await readdir(outDir).catch(() => [] as string[]);
    const out = produced.find((f) => f.toLowerCase().endsWith(`.${target.ext}`));
    if (ran.code !== 0 || !out) {
      const reason = ran.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit ${ran.code ?? ran.signal}`;
      throw new NianbaoError('corrupt', `${what}: LibreOffice could not convert it (${reason.slice(0, 200)})`);
    }
    const converted = new Uint8Array(await readFile(path.join(outDir, out)));
    const adapter = format === 'doc' ? await import('../docx.js') : await import('../xlsx.js');
    const doc = await adapter.read(converted, { ...opts, path: `${opts.path ?? what} (converted to .${target.ext})` });
    return { ...doc, format, converter: converterName(converted) };
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
      // No soffice at all is the caller's setup to fix, and past the deadline there is no time to fall back;
      // a file soffice fails on may still be readable here, and a password-protected one is better named by
      // the built-in reader.
      if (!(e instanceof NianbaoError) || e.code === 'timeout' || !sofficePath()) throw e;
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
    } catch (conv) {
      // Out of time is the outcome (`timeout`, as for any parse past its deadline); otherwise the reader's own error stands.
      if (conv instanceof NianbaoError && conv.code === 'timeout') throw tooLate(what, `${conv.message.replace(`${what}: `, '')}, tried because the built-in reader failed (${e.message})`);
      throw e;
    }
  }
}
