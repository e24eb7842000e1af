import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit } from '../audit/index.js';
import type { Lang } from '../audit/types.js';
import { summarizeAndCross } from '../batch/cross.js';
import { decide, expandInputs, skipUnread, type InputFile } from '../batch/inputs.js';
import { WorkerPool } from '../batch/pool.js';
import { serializeRecord, type BatchRecord, type CrossRecord } from '../batch/records.js';
import { DEFAULTS, outputFiles } from '../batch/run.js';
import { sniff } from '../ingest/detect.js';
import type { Finding } from '../model/index.js';

/** A record of the loaded set, with the id its page is addressed by. */
export type Entry = BatchRecord & { id: string };

export interface SessionOptions {
  /** Language the files are parsed in (finding messages of exports), as `batch --lang`. */
  lang?: Lang;
  jobs?: number;
  timeoutMs?: number;
  maxMemoryMb?: number;
  /** Per file, as `batch --max-size`: uploads over it are refused (413) before anything is parsed. */
  maxBytes?: number;
  /** Module URL exporting parseBytes, instead of the real pipeline (tests). */
  parser?: string;
}

/**
 * The reports loaded into one `serve`: parsed by batch's worker pool with batch's
 * limits and failure codes, kept as batch records in a private temp directory
 * (reports.jsonl + cross-report.jsonl, exactly as `batch` writes them) so the
 * exports are `export`'s own output. Uploaded bytes live in memory only, until the
 * worker has them.
 */
export class Session {
  readonly lang: Lang;
  readonly maxBytes: number;
  private readonly jobs: number;
  /** Records already in reports.jsonl: new ones are appended, as batch's journal does. */
  private written = 0;
  private readonly pool: WorkerPool;
  private readonly entries: Entry[] = [];
  /** sha256 → the path that claimed it first (batch's duplicate rule). */
  private readonly claimed = new Map<string, string>();
  /** sha256 → the record of the file that claimed it. */
  private readonly byHash = new Map<string, Entry>();
  private cross: CrossRecord[] = [];
  private readonly crossByLang = new Map<Lang, CrossRecord[]>();
  private readonly localized = new Map<string, Finding[]>();
  /** Serialises writes of the record files: parses run in parallel, their results land one at a time. */
  private writing: Promise<void> = Promise.resolve();
  private loading: Promise<void> = Promise.resolve();
  /** Files handed to a worker (a refused upload never gets here). */
  parsed = 0;

  private constructor(readonly dir: string, opts: SessionOptions) {
    this.lang = opts.lang ?? 'zh';
    this.maxBytes = opts.maxBytes ?? DEFAULTS.maxBytes;
    this.jobs = Math.max(1, opts.jobs ?? Math.min(2, availableParallelism()));
    this.pool = new WorkerPool({
      size: this.jobs,
      timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs,
      maxMemoryMb: opts.maxMemoryMb ?? DEFAULTS.maxMemoryMb,
      ...(opts.parser ? { parser: opts.parser } : {}),
    });
  }

  static async create(opts: SessionOptions = {}): Promise<Session> {
    // mkdtemp creates the directory 0700: other users of the machine cannot read the reports.
    const dir = await mkdtemp(join(tmpdir(), 'nianbao-serve-'));
    const s = new Session(dir, opts);
    await s.flush();
    return s;
  }

  get files() {
    return outputFiles(this.dir);
  }

  list(): readonly Entry[] {
    return this.entries;
  }

  get(id: string): Entry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /** The records' first report, the one `/` opens. */
  first(): Entry | undefined {
    return this.entries.find((e) => e.status === 'ok') ?? this.entries[0];
  }

  /**
   * Command-line files, directories and globs, expanded and recorded as `batch` does.
   * Parsed in parallel, recorded in path order, so `/` opens the same report every time.
   */
  addPaths(args: string[], cwd = process.cwd()): Promise<void> {
    const run = async () => {
      const { files } = await expandInputs(args, { cwd });
      // As batch: one runner per worker pulls from one cursor, so only the files being parsed are in memory.
      const records: Array<BatchRecord | null> = new Array(files.length).fill(null);
      let cursor = 0;
      const runner = async () => {
        while (cursor < files.length) {
          const i = cursor++;
          records[i] = await this.readInput(files[i]);
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.jobs, files.length) }, runner));
      for (const r of records) if (r) await this.record(r);
    };
    const p = run();
    this.loading = this.loading.then(() => p).catch(() => undefined);
    return p;
  }

  /**
   * Settles when the files given at start are recorded: the server listens at
   * once, and a page asked for meanwhile waits for them rather than show a list
   * with the reports still missing.
   */
  ready(): Promise<void> {
    return this.loading;
  }

  private async readInput(file: InputFile): Promise<BatchRecord | null> {
    if (file.missing) return { status: 'failed', path: file.rel, code: 'io', reason: file.missing };
    if (skipUnread(file)) return null;
    let bytes: Uint8Array;
    try {
      const size = (await stat(file.abs)).size;
      if (size > this.maxBytes) return { status: 'failed', path: file.rel, code: 'too-large', reason: tooLarge(size, this.maxBytes) };
      bytes = await readFile(file.abs);
    } catch (e) {
      return { status: 'failed', path: file.rel, code: 'io', reason: ioReason(e) };
    }
    return this.parse(bytes, file);
  }

  /** An uploaded file (the caller has enforced `maxBytes` while reading it). */
  async addUpload(name: string, bytes: Uint8Array): Promise<Entry> {
    const file = { abs: '', rel: uploadName(name), explicit: true };
    const r = await this.parse(bytes, file);
    if (!r) return this.record({ status: 'failed', path: file.rel, code: 'unsupported', reason: 'not a report file' });
    // The same file again: its page, not a second record.
    const prev = r.status === 'duplicate' && r.of === r.path ? this.byHash.get(r.sha256) : undefined;
    if (prev) return prev;
    return this.record(r);
  }

  /** batch's per-file decision (sniff → decide → duplicate → worker), the record not yet written. */
  private async parse(bytes: Uint8Array, file: InputFile): Promise<BatchRecord | null> {
    const detected = sniff(bytes, file.rel);
    const decision = decide(detected, file, bytes.length);
    if (decision.action === 'skip') return null;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const first = this.claimed.get(sha256);
    if (first !== undefined) return { status: 'duplicate', path: file.rel, sha256, of: first };
    // Claimed before the parse, so the same content given twice at once is parsed once.
    this.claimed.set(sha256, file.rel);
    if (decision.action === 'fail') {
      return { status: 'failed', path: file.rel, sha256, format: decision.detected, code: decision.code, reason: decision.reason };
    }
    this.parsed++;
    const outcome = await this.pool.run({ bytes, path: file.rel, lang: this.lang });
    const ms = Math.round(outcome.ms);
    if (outcome.kind === 'ok' && outcome.result) {
      return { status: 'ok', path: file.rel, sha256, format: outcome.result.source.format, result: outcome.result, ms };
    }
    const failure =
      outcome.kind === 'failed' ? outcome : { code: 'crash', reason: outcome.kind === 'ok' ? 'worker returned no result' : 'stopped before a result' };
    return { status: 'failed', path: file.rel, sha256, format: decision.format, code: failure.code, reason: failure.reason, ms };
  }

  private async record(r: BatchRecord): Promise<Entry> {
    const n = this.entries.length;
    const id = !r.sha256 ? `f${n}` : r.status === 'duplicate' ? `${r.sha256.slice(0, 12)}-${n}` : r.sha256.slice(0, 12);
    const entry = { ...r, id } as Entry;
    this.entries.push(entry);
    if (r.status !== 'duplicate' && r.sha256 && !this.byHash.has(r.sha256)) this.byHash.set(r.sha256, entry);
    await this.flush();
    return entry;
  }

  /** Appends the new records to reports.jsonl and recomputes the cross-report pass over it, as `batch` would. */
  private flush(): Promise<void> {
    const run = async () => {
      const fresh = this.entries.slice(this.written);
      this.written = this.entries.length;
      await appendFile(this.files.reports, fresh.map((e) => serializeRecord(stripId(e)) + '\n').join(''));
      await summarizeAndCross(this.files, { lang: this.lang, cross: true });
      this.cross = await readCross(this.files.cross);
      this.crossByLang.clear();
    };
    this.writing = this.writing.then(run, run);
    return this.writing;
  }

  /** Cross-report findings in a language (the files' own language comes from reports.jsonl's pass). */
  async crossFindings(lang: Lang): Promise<CrossRecord[]> {
    await this.writing;
    if (lang === this.lang) return this.cross;
    const cached = this.crossByLang.get(lang);
    if (cached) return cached;
    const file = join(this.dir, `cross-report.${lang}.jsonl`);
    await summarizeAndCross({ reports: this.files.reports, cross: file }, { lang, cross: true });
    const list = await readCross(file);
    this.crossByLang.set(lang, list);
    return list;
  }

  /**
   * A report's findings in `lang`. The audit is pure, so the other language's
   * messages come from running it again; the recognizer's own notes (P-ALIGN,
   * S-02, S-08…) have no second run and keep the language of the parse.
   */
  findings(entry: Entry, lang: Lang): Finding[] {
    if (entry.status !== 'ok') return [];
    const own = entry.result.findings;
    if (lang === this.lang) return own;
    const key = `${entry.id}:${lang}`;
    const hit = this.localized.get(key);
    if (hit) return hit;
    const again = runAudit({ report: entry.result.report, cells: entry.result.cells }, { lang });
    const sig = (f: Finding) => `${f.rule}|${f.paths.join(',')}|${f.expected}|${f.actual}|${f.text ?? ''}`;
    const bySig = new Map(again.map((f) => [sig(f), f.message]));
    const out = own.map((f) => ({ ...f, message: bySig.get(sig(f)) ?? f.message }));
    this.localized.set(key, out);
    return out;
  }

  async close(): Promise<void> {
    await this.pool.close();
    await this.writing.catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

function stripId(e: Entry): BatchRecord {
  const { id: _id, ...r } = e;
  return r as BatchRecord;
}

async function readCross(file: string): Promise<CrossRecord[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CrossRecord);
}

/** A browser sends a bare file name; anything path-like is cut to its last part, so a record never names a directory. */
export function uploadName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean === '' || clean === '.' || clean === '..' ? 'upload' : clean.slice(0, 200);
}

export function tooLarge(size: number, max: number): string {
  return `${Math.round(size / 1048576)} MB is over the --max-size limit of ${Math.round(max / 1048576)} MB`;
}

function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? 'error'})`;
}
