import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchCommand } from '../src/cli/batch-command.js';
import { globMatcher, splitPattern } from '../src/batch/glob.js';
import { expandInputs, inShard } from '../src/batch/inputs.js';
import { Journal, repairTail } from '../src/batch/journal.js';
import { okRecordBytes, serializeRecord, type BatchRecord } from '../src/batch/records.js';
import { outputFiles, runBatch } from '../src/batch/run.js';
import { summarizeAndCross } from '../src/batch/cross.js';
import { JUNK, OLE_HEADER, PNG, STUB_PARSER, TRUNCATED_ZIP, tempDir, textReport, writeTree } from './helpers/batch-tree.js';

const readRecords = (out: string): BatchRecord[] => {
  const text = readFileSync(join(out, 'reports.jsonl'), 'utf8');
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as BatchRecord);
};
const byPath = (rs: BatchRecord[]) => Object.fromEntries(rs.map((r) => [r.path, r]));

function collector() {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } },
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}

describe('glob', () => {
  it('matches *, **, ? and alternatives on / paths', () => {
    const match = globMatcher('**/*.{pdf,docx}');
    expect(match('a.pdf')).toBe(true);
    expect(match('x/y/a.docx')).toBe(true);
    expect(match('x/a.txt')).toBe(false);
    expect(globMatcher('20?3/*.txt')('2023/a.txt')).toBe(true);
    expect(globMatcher('20?3/*.txt')('2023/b/a.txt')).toBe(false);
    expect(splitPattern('archive/2024/**/*.pdf')).toEqual({ base: 'archive/2024', rest: '**/*.pdf' });
  });

  it('expands directories, globs and files relative to their common root', async () => {
    const dir = tempDir();
    writeTree(dir, { 'a/x.txt': 'x', 'a/b/y.pdf': '%PDF-1.4', 'a/.hidden/z.txt': 'z', 'c/w.txt': 'w' });
    const e = await expandInputs(['a', 'c/*.txt'], { cwd: dir });
    expect(e.files.map((f) => f.rel)).toEqual(['a/b/y.pdf', 'a/x.txt', 'c/w.txt']);
    const only = await expandInputs(['a/**/*.pdf'], { cwd: dir });
    expect(only.files.map((f) => f.rel)).toEqual(['b/y.pdf']);
  });
});

describe('shards', () => {
  it('puts every path in exactly one of N shards', () => {
    const paths = Array.from({ length: 300 }, (_, i) => `dir${i % 7}/report-${i}.pdf`);
    const n = 4;
    const sizes = [0, 0, 0, 0];
    for (const p of paths) {
      const hits = [1, 2, 3, 4].filter((k) => inShard(p, k, n));
      expect(hits).toHaveLength(1);
      sizes[hits[0] - 1]++;
    }
    for (const s of sizes) expect(s).toBeGreaterThan(40);
  });
});

describe('batch records', () => {
  it('gives every input exactly one record: ok, corrupt, unsupported, duplicate; skips non-reports', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'in/2023/a.txt': textReport('甲局', 2023),
      'in/2024/a.txt': textReport('甲局', 2024),
      'in/copy/a-again.txt': textReport('甲局', 2023),
      'in/old.doc': OLE_HEADER,
      'in/broken.docx': TRUNCATED_ZIP,
      'in/junk.pdf': JUNK,
      'in/empty.txt': '',
      'in/notreport.txt': 'NIANBAO-TEST:NOTREPORT',
      'in/photo.png': PNG,
      'in/photo-no-ext': PNG,
      'in/notes.md': '# notes',
    });
    const summary = await runBatch({ inputs: ['in'], out: 'out', cwd: dir, jobs: 2, parser: STUB_PARSER });
    const recs = readRecords(join(dir, 'out'));
    const m = byPath(recs);
    expect(recs).toHaveLength(Object.keys(m).length);
    expect(Object.keys(m).sort()).toEqual(
      ['2023/a.txt', '2024/a.txt', 'broken.docx', 'copy/a-again.txt', 'empty.txt', 'junk.pdf', 'notreport.txt', 'old.doc'].sort(),
    );
    expect(m['2023/a.txt'].status).toBe('ok');
    expect(m['2024/a.txt']).toMatchObject({ status: 'ok', format: 'text' });
    expect(m['copy/a-again.txt']).toMatchObject({ status: 'duplicate', of: '2023/a.txt', sha256: m['2023/a.txt'].sha256 });
    expect(m['old.doc']).toMatchObject({ status: 'failed', code: 'unsupported', format: 'ole' });
    expect(m['broken.docx']).toMatchObject({ status: 'failed', code: 'corrupt' });
    expect(m['junk.pdf']).toMatchObject({ status: 'failed', code: 'corrupt' });
    expect(m['empty.txt']).toMatchObject({ status: 'failed', code: 'corrupt', reason: 'empty file' });
    expect(m['notreport.txt']).toMatchObject({ status: 'failed', code: 'not-report' });
    expect(summary.byOutcome).toEqual({ ok: 2, failed: 5, duplicate: 1 });
    expect(summary.run?.skippedIrrelevant).toBe(3);
    const onDisk = JSON.parse(readFileSync(join(dir, 'out/summary.json'), 'utf8'));
    expect(onDisk.byOutcome).toEqual(summary.byOutcome);

    // --resume: nothing new to do; a new file and a renamed copy get their one record each.
    writeTree(dir, { 'in/2025/a.txt': textReport('甲局', 2025), 'in/moved/a.txt': textReport('甲局', 2024) });
    const again = await runBatch({ inputs: ['in'], out: 'out', cwd: dir, jobs: 2, parser: STUB_PARSER, resume: true });
    const recs2 = readRecords(join(dir, 'out'));
    expect(recs2).toHaveLength(recs.length + 2);
    expect(byPath(recs2)['2025/a.txt'].status).toBe('ok');
    expect(byPath(recs2)['moved/a.txt']).toMatchObject({ status: 'duplicate', of: '2024/a.txt' });
    expect(again.run?.skippedAlreadyRecorded).toBe(recs.length);
    expect(again.run?.processed).toBe(1);
    // Counted as the records were written (the earlier run's read back): the same as reading the whole file.
    const { run: _run, ...live } = again;
    expect(live).toEqual(await summarizeAndCross(outputFiles(join(dir, 'out')), { lang: 'zh', cross: true }));
  });

  it('records an explicitly named missing file, and hands a named image to the parser (OCR)', async () => {
    const dir = tempDir();
    writeTree(dir, { 'p.png': PNG });
    await runBatch({ inputs: ['p.png', 'nope.pdf'], out: 'out', cwd: dir, jobs: 1, parser: STUB_PARSER });
    const m = byPath(readRecords(join(dir, 'out')));
    // The stub parser reads anything it is handed: ok means the image went to the parser, not to a refusal.
    expect(m['p.png'].status).toBe('ok');
    expect(m['nope.pdf']).toMatchObject({ status: 'failed', code: 'io', reason: 'no such file' });
  });

  it.skipIf(process.platform === 'win32')('records a named FIFO as not a regular file, without blocking on it', async () => {
    const dir = tempDir();
    writeTree(dir, { 'a.txt': textReport('甲', 2024) });
    // A FIFO nobody writes to: opening it for reading would wait forever.
    execFileSync('mkfifo', [join(dir, 'pipe.pdf')]);
    await runBatch({ inputs: ['a.txt', 'pipe.pdf'], out: 'out', cwd: dir, jobs: 1, parser: STUB_PARSER, timeoutMs: 20_000 });
    const m = byPath(readRecords(join(dir, 'out')));
    expect(m['a.txt'].status).toBe('ok');
    expect(m['pipe.pdf']).toMatchObject({ status: 'failed', code: 'io', reason: 'not a regular file' });
  });

  it('survives hanging, crashing, exiting and out-of-memory workers and goes on', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'in/1-hang.txt': 'NIANBAO-TEST:HANG',
      'in/2-crash.txt': 'NIANBAO-TEST:CRASH',
      'in/3-exit.txt': 'NIANBAO-TEST:EXIT',
      'in/4-oom.txt': 'NIANBAO-TEST:OOM',
      'in/5-ok.txt': textReport('乙局', 2024),
      'in/6-ok.txt': textReport('丙局', 2024),
    });
    const summary = await runBatch({ inputs: ['in'], out: 'out', cwd: dir, jobs: 1, timeoutMs: 4000, maxMemoryMb: 32, parser: STUB_PARSER });
    const m = byPath(readRecords(join(dir, 'out')));
    expect(m['1-hang.txt']).toMatchObject({ status: 'failed', code: 'timeout' });
    expect(m['2-crash.txt']).toMatchObject({ status: 'failed', code: 'crash' });
    expect(m['3-exit.txt']).toMatchObject({ status: 'failed', code: 'crash' });
    expect(m['4-oom.txt'], JSON.stringify(m['4-oom.txt'])).toMatchObject({ status: 'failed', code: 'oom' });
    expect(m['5-ok.txt'].status).toBe('ok');
    expect(m['6-ok.txt'].status).toBe('ok');
    expect(summary.run?.workersStarted).toBe(5);
  }, 40000);

  it('runs the real pipeline in workers (entry loads from the .ts sources)', async () => {
    const dir = tempDir();
    writeTree(dir, { 'in/ganxian.txt': readFileSync('samples/ganxian-gongxin-2024.txt') });
    await runBatch({ inputs: ['in'], out: 'out', cwd: dir, jobs: 1 });
    const [r] = readRecords(join(dir, 'out'));
    // Whatever the recognizer can do today, the worker must have loaded it and answered.
    expect(r.path).toBe('ganxian.txt');
    if (r.status === 'failed') expect(r.reason).not.toMatch(/worker failed to start/);
  });
});

describe('journal', () => {
  it('writes an ok record from the worker\'s bytes exactly as serializeRecord would', () => {
    const result = { schemaVersion: '1', source: { path: '甲.txt', format: 'text' }, findings: [], note: '引号"与\\反斜杠' } as unknown as Extract<BatchRecord, { status: 'ok' }>['result'];
    const meta = { status: 'ok' as const, path: 'a/甲 "1".txt', sha256: 'f'.repeat(64), format: 'text' as const, ms: 12 };
    const bytes = okRecordBytes(meta, new TextEncoder().encode(JSON.stringify(result)));
    expect(bytes.toString('utf8')).toBe(serializeRecord({ ...meta, result }));
  });

  it('truncates a torn tail and keeps whole lines', async () => {
    const dir = tempDir();
    const file = join(dir, 'reports.jsonl');
    const good = '{"status":"failed","path":"a","code":"io","reason":"x"}\n{"status":"duplicate","path":"b","sha256":"' + 'a'.repeat(64) + '","of":"c"}\n';
    writeFileSync(file, good + '{"status":"ok","path":"d","sha');
    const j = await Journal.open(file, 'resume');
    expect(j.repaired).toBeGreaterThan(0);
    expect(j.index.records).toBe(2);
    expect(j.index.unhashedPaths.has('a')).toBe(true);
    j.append({ status: 'failed', path: 'e', code: 'io', reason: 'y' });
    j.close();
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(good)).toBe(true);
    expect(text.split('\n').filter(Boolean).map((l) => JSON.parse(l).path)).toEqual(['a', 'b', 'e']);
    // A terminated but invalid last line is dropped too; a clean file is left alone.
    appendFileSync(file, '{"status":\n');
    expect(await repairTail(file)).toBe('{"status":\n'.length);
    const size = statSync(file).size;
    expect(await repairTail(file)).toBe(0);
    expect(statSync(file).size).toBe(size);
  });
});

describe('batchCommand', () => {
  it('prints help, rejects bad usage with 2 and an unwritable output with 3', async () => {
    const dir = tempDir();
    writeTree(dir, { 'in/a.txt': textReport('甲局', 2024), 'file': 'x' });
    let c = collector();
    expect(await batchCommand(['--help'], { ...c.io, cwd: dir })).toBe(0);
    expect(c.out).toMatch(/--shard K\/N/);
    c = collector();
    expect(await batchCommand(['in'], { ...c.io, cwd: dir })).toBe(2);
    expect(c.err).toMatch(/--out/);
    expect(await batchCommand(['in', '--out', 'o', '--shard', '3/2'], { ...collector().io, cwd: dir })).toBe(2);
    expect(await batchCommand(['in', '--out', 'o', '--jobs', 'zero'], { ...collector().io, cwd: dir })).toBe(2);
    expect(await batchCommand(['in', '--out', 'o', '--bogus'], { ...collector().io, cwd: dir })).toBe(2);
    c = collector();
    expect(await batchCommand(['in', '--out', 'file/sub', '--quiet'], { ...c.io, cwd: dir })).toBe(3);
    expect(c.err).toMatch(/cannot create output directory/);
  });

  it('refuses to append to existing records without --resume or --overwrite', async () => {
    const dir = tempDir();
    writeTree(dir, { 'in/a.doc': OLE_HEADER });
    const c = collector();
    expect(await batchCommand(['in', '--out', 'o', '--jobs', '1'], { ...c.io, cwd: dir })).toBe(0);
    expect(c.err).toMatch(/records: 1 \(ok 0, failed 1, duplicate 0\)/);
    expect(c.err).toMatch(/nianbao batch: 1 files to process/);
    expect(await batchCommand(['in', '--out', 'o', '--quiet'], { ...collector().io, cwd: dir })).toBe(2);
    expect(await batchCommand(['in', '--out', 'o', '--quiet', '--overwrite'], { ...collector().io, cwd: dir })).toBe(0);
    expect(readRecords(join(dir, 'o'))).toHaveLength(1);
  });

  it('processes only its shard; the shards together cover every input once', async () => {
    const dir = tempDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`in/r${i}.doc`] = `\u00d0${i}`;
    writeTree(dir, files);
    for (let i = 0; i < 12; i++) writeFileSync(join(dir, `in/r${i}.doc`), Buffer.concat([Buffer.from(OLE_HEADER), Buffer.from([i])]));
    const seen: string[] = [];
    for (const k of [1, 2, 3]) {
      expect(await batchCommand(['in', '--out', `shard-${k}`, '--shard', `${k}/3`, '--quiet', '--jobs', '1'], { ...collector().io, cwd: dir })).toBe(0);
      seen.push(...readRecords(join(dir, `shard-${k}`)).map((r) => r.path));
    }
    expect(seen.sort()).toEqual(Object.keys(files).map((f) => f.slice(3)).sort());
  });
});
