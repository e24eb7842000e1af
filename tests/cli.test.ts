import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/io.js';

function capture(): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    out: () => out,
    err: () => err,
  };
}

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const tmp = mkdtempSync(join(tmpdir(), 'nianbao-cli-'));
const GANXIAN = 'samples/ganxian-gongxin-2024.txt';

describe('nianbao parse', () => {
  it('prints the ParseResult as JSON with the done-when values', async () => {
    const { code, out } = await run('parse', GANXIAN);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.schemaVersion).toBe('1');
    expect(r.source).toMatchObject({ format: 'text', path: GANXIAN });
    expect(r.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.report).toMatchObject({ year: 2024, agency: '赣县区工业和信息化局', formatVersion: '2021' });
    expect(r.report.applications.newReceived).toEqual({ naturalPerson: 1, commercial: 0, research: 0, publicInterest: 0, legalService: 0, otherOrg: 0, total: 1 });
    expect(r.report.applications.results.denied.internalAffairs).toMatchObject({ naturalPerson: 1, total: 1 });
    expect(r.report.applications.results.total).toMatchObject({ naturalPerson: 1, total: 1 });
    expect(r.report.applications.carriedForward.total).toBe(0);
    expect(r.report.proactive.regulations).toEqual({ issued: 0, repealed: 0, inForce: 0 });
    expect(r.report.proactive.fees.amount).toBe(0);
    expect(r.report.reviewLitigation.review).toEqual({ upheld: null, corrected: null, other: null, pending: null, total: null });
    expect(r.report.reviewLitigation.litigationDirect.total).toBe(0);
    expect(r.report.narrative.received.value).toBe(1);
    const blanks = r.findings.filter((f: { rule: string }) => f.rule === 'S-06');
    expect(blanks).toHaveLength(1);
    expect(blanks[0].severity).toBe('warning');
    expect(r.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
    expect(r.findings.some((f: { rule: string; severity: string }) => f.rule === 'N-LIST' && f.severity === 'error')).toBe(false);
  });

  it('reads standard input with -', async () => {
    const io = capture();
    const { Readable } = await import('node:stream');
    io.stdin = Readable.from([readFileSync(GANXIAN)]);
    expect(await main(['parse', '-', '--pretty'], io)).toBe(0);
    expect(JSON.parse(io.out()).source.path).toBe('-');
    expect(io.out()).toContain('\n  "schemaVersion"');
  });

  it('exits 3 with one line naming the file for unreadable input, never a stack trace', async () => {
    const ole = join(tmp, 'old.doc');
    writeFileSync(ole, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    for (const [file, reason] of [
      [ole, /convert/],
      [join(tmp, 'nope.pdf'), /no such file/],
    ] as const) {
      const { code, out, err } = await run('parse', file);
      expect(code).toBe(3);
      expect(out).toBe('');
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toContain(file);
      expect(err).toMatch(reason);
      expect(err).not.toMatch(/\n\s+at /);
    }
  });

  it('exits 2 on bad usage', async () => {
    expect((await run('parse')).code).toBe(2);
    expect((await run('parse', 'a', 'b')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('parse', GANXIAN, '--lang', 'fr')).code).toBe(2);
    expect((await run('audit', GANXIAN, '--bogus')).code).toBe(2);
  });

  it('has --help for every command', async () => {
    for (const cmd of ['parse', 'audit', 'summary', 'schema', 'batch', 'export']) {
      const { code, out } = await run(cmd, '--help');
      expect(code).toBe(0);
      expect(out).toMatch(new RegExp(`nianbao ${cmd}`));
    }
  });
});

describe('nianbao audit', () => {
  it('reports no error on the ganxian sample', async () => {
    const { code, out } = await run('audit', GANXIAN);
    expect(code).toBe(0);
    expect(out).toContain('赣县区工业和信息化局');
    expect(out).not.toContain('错误 (');
  });

  it('exits 1 and reports T3-BAL and T3-OUT when (七)总计 自然人 is changed from 1 to 2', async () => {
    const text = readFileSync(GANXIAN, 'utf8').replace('\t(七) 总计\t1\t', '\t(七) 总计\t2\t');
    expect(text).not.toBe(readFileSync(GANXIAN, 'utf8'));
    const file = join(tmp, 'ganxian-broken.txt');
    writeFileSync(file, text);
    const { code, out } = await run('audit', file);
    expect(code).toBe(1);
    expect(out).toMatch(/\[T3-BAL\].*自然人.*应为 1，实为 2/);
    expect(out).toMatch(/\[T3-OUT\].*自然人.*应为 1，实为 2/);
    const json = await run('audit', file, '--json', '--lang', 'en');
    const findings = JSON.parse(json.out).findings as { rule: string; paths: string[]; expected: number; actual: number }[];
    for (const rule of ['T3-BAL', 'T3-OUT']) {
      const f = findings.find((x) => x.rule === rule && x.paths.some((p) => p.endsWith('results.total.naturalPerson')));
      expect(f).toMatchObject({ expected: 1, actual: 2 });
    }
  });

  it('audits the other files when one cannot be read, and exits 3', async () => {
    const { code, out, err } = await run('audit', join(tmp, 'missing.txt'), GANXIAN);
    expect(code).toBe(3);
    expect(err).toContain('missing.txt');
    expect(out).toContain('赣县区工业和信息化局');
  });
});

describe('nianbao schema and summary', () => {
  it('prints the JSON Schema', async () => {
    const { code, out } = await run('schema');
    expect(code).toBe(0);
    expect(JSON.parse(out).properties.report).toBeDefined();
  });

  it('summarises a directory of reports', async () => {
    const { code, out } = await run('summary', 'samples/ganxian-gongxin-2024.txt', 'samples/huaian-shizhengfu-2024.layout.txt');
    expect(code).toBe(0);
    expect(out).toMatch(/淮安市人民政府\s+2024\s+2021\s+3119\s+3050\s+103\s+351/);
    expect(out).toContain('2 of 2 files read as reports');
  });
});

describe('installed binary', () => {
  it('runs through bin/nianbao.js from the compiled dist/', () => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'ignore' });
    const res = spawnSync(process.execPath, ['bin/nianbao.js', 'parse', GANXIAN], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout).report.year).toBe(2024);
    const bad = spawnSync(process.execPath, ['bin/nianbao.js', 'parse', 'samples'], { encoding: 'utf8' });
    expect(bad.status).toBe(3);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  }, 60000);
});
