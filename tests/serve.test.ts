import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../src/batch/run.js';
import { exportCommand } from '../src/cli/export-command.js';
import { startServe } from '../src/cli/serve-command.js';
import { exportCsv, parseCsv } from '../src/export/csv.js';
import { parseBytes } from '../src/parse.js';
import { allowedHosts, hostAllowed, originAllowed } from '../src/serve/guard.js';
import { esc, markSentences, renderPage } from '../src/serve/render.js';
import { startServer, type RunningServer } from '../src/serve/server.js';
import { Session, uploadName, type Entry } from '../src/serve/session.js';
import { http, uploadHeaders } from './helpers/serve-http.js';
import { make2019, make2021 } from './helpers/report-factory.js';
import { consistentTable3, textReport } from './helpers/text-report.js';
import type { ParseResult } from '../src/model/index.js';

const SAMPLES = resolve(import.meta.dirname, '../samples');
const HONGZE = join(SAMPLES, 'hongze-quzhengfu-2023.pdf');
const HUAIAN = join(SAMPLES, 'huaian-shizhengfu-2024.pdf');

const scratch: string[] = [];
/** A temp directory removed after the file's tests. */
function scratchDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'nianbao-serve-test-'));
  scratch.push(d);
  return d;
}
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

function sink() {
  let s = '';
  return { write: (x: string) => void (s += x), get text() { return s; } };
}

describe('guards', () => {
  it('accepts the bound address by its loopback names only', () => {
    const a = allowedHosts('127.0.0.1', 8123);
    for (const h of ['127.0.0.1:8123', 'localhost:8123', 'LOCALHOST:8123', '[::1]:8123']) expect(hostAllowed(h, a)).toBe(true);
    for (const h of ['evil.example:8123', '127.0.0.1:8124', '127.0.0.1', 'localhost.evil.example:8123', '', undefined]) expect(hostAllowed(h, a)).toBe(false);
    expect(hostAllowed('192.168.1.9:8123', allowedHosts('192.168.1.9', 8123))).toBe(true);
    expect(hostAllowed('localhost:8123', allowedHosts('192.168.1.9', 8123))).toBe(false);
  });

  it('takes uploads from the page\'s own origin only', () => {
    const a = allowedHosts('127.0.0.1', 8123);
    expect(originAllowed('http://127.0.0.1:8123', a)).toBe(true);
    expect(originAllowed('http://localhost:8123', a)).toBe(true);
    for (const o of [undefined, 'null', 'http://evil.example', 'http://127.0.0.1:9999', 'https://127.0.0.1:8123', 'http://127.0.0.1:8123/x']) expect(originAllowed(o, a)).toBe(false);
  });

  it('keeps only the last part of an uploaded file name', () => {
    expect(uploadName('../../etc/passwd')).toBe('passwd');
    expect(uploadName('C:\\Users\\a\\报告.pdf')).toBe('报告.pdf');
    expect(uploadName('..')).toBe('upload');
    expect(uploadName('a\u0000b.pdf')).toBe('ab.pdf');
  });
});

describe('rendering', () => {
  it('escapes markup in every piece of report text', () => {
    expect(esc('<img src=x onerror="a()">&\'')).toBe('&lt;img src=x onerror=&quot;a()&quot;&gt;&amp;&#39;');
    const marked = markSentences('前<b>共受理5件。</b>后', [{ text: '共受理5件。', severity: 'warning', index: 3 }]);
    expect(marked).toBe('前&lt;b&gt;<mark class="sev-warning" data-finding="finding-3">共受理5件。</mark>&lt;/b&gt;后');
    expect(markSentences('共 受理 ５件，完。', [{ text: '共受理5件,', severity: 'info', index: 0 }])).toBe('<mark class="sev-info" data-finding="finding-0">共 受理 ５件，</mark>完。');
  });

  it('renders a hostile report inert, and a cell kind it does not know by its name', async () => {
    const r = await parseBytes(new TextEncoder().encode(textReport()), { path: 'x.txt' });
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    r.report.title = evil;
    r.report.agency = evil;
    r.cells['applications.newReceived.total'] = { raw: evil, kind: 'unplaced' as 'text', page: 2 };
    r.cells['applications.carriedOver.total'] = { ...r.cells['applications.carriedOver.total'], kind: 'someday' as 'text', extra: { a: evil } } as never;
    r.findings.push({ rule: 'T3-ROW', severity: 'error', message: evil, paths: ['applications.newReceived.total'], expected: 1, actual: 2 });
    const entry = { status: 'ok', path: `${evil}.txt`, sha256: 'a'.repeat(64), format: 'text', result: r, ms: 1, id: 'aaaaaaaaaaaa' } as Entry;
    const html = renderPage({ lang: 'zh', entries: [entry], current: entry, findings: r.findings, cross: [] });
    expect(html).not.toMatch(/<script>alert|<img/);
    expect((html.match(/<script/g) ?? []).length).toBe(1); // the page's own app.js
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('未定位'); // unplaced, named
    expect(html).toContain('someday'); // unknown kind, by its own name
    expect(html).toMatch(/data-path="applications\.newReceived\.total"[^>]*data-rules="T3-ROW"/);
  });

  it('draws the 2019 format with its own labels, and the 2021 one with its own', () => {
    const page = (input: ReturnType<typeof make2019>) => {
      const result = { schemaVersion: '1', source: { path: 'x', format: 'text', sha256: 'c'.repeat(64) }, report: input.report, findings: [], cells: input.cells } as unknown as ParseResult;
      const entry = { status: 'ok', path: 'x.txt', sha256: 'c'.repeat(64), format: 'text', result, ms: 1, id: 'cccccccccccc' } as Entry;
      return renderPage({ lang: 'zh', entries: [entry], current: entry, findings: [], cross: [] });
    };
    const y2019 = page(make2019());
    for (const label of ['本年新制作数量', '对外公开总数量', '政府集中采购', '（六）其他处理']) expect(y2019).toContain(label);
    expect(y2019).not.toContain('本年制发件数');
    expect(y2019).not.toContain('3.其他</th>');
    expect(y2019).toContain('data-path="applications.results.otherDisposal.subtotal.total"');
    const y2021 = page(make2021());
    for (const label of ['本年制发件数', '现行有效件数', '1.申请人无正当理由逾期不补正', '3.其他</th>']) expect(y2021).toContain(label);
    expect(y2021).not.toContain('本年新制作数量');
    // Every value of the report has its cell, with its value.
    expect(y2021).toMatch(/data-path="proactive\.fees\.amount"[^>]*><span class="val">12\.5</);
  });

  it('highlights the sentence a narrative finding quotes, linked to the finding', async () => {
    const r = await parseBytes(new TextEncoder().encode(textReport({ prose: '2023年，本机关共受理政府信息公开申请99件。其他内容。' })), { path: 'x.txt' });
    const n = r.findings.find((f) => f.rule === 'N-RECV');
    expect(n?.text).toBeTruthy();
    const entry = { status: 'ok', path: 'x.txt', sha256: 'b'.repeat(64), format: 'text', result: r, ms: 1, id: 'bbbbbbbbbbbb' } as Entry;
    const html = renderPage({ lang: 'zh', entries: [entry], current: entry, findings: r.findings, cross: [] });
    const i = r.findings.indexOf(n!);
    // The rule quotes the sentence NFKC-folded (ASCII comma); the page marks the sentence as printed.
    expect(html).toContain(`<mark class="sev-${n!.severity}" data-finding="finding-${i}">2023年，本机关共受理政府信息公开申请99件。</mark>其他内容。`);
    expect(html).toContain(`id="finding-${i}" data-rule="N-RECV"`);
  });
});

describe('serve over HTTP', () => {
  let session: Session;
  let server: RunningServer;
  let base: string;

  beforeAll(async () => {
    session = await Session.create({ jobs: 2 });
    await session.addPaths([HONGZE, HUAIAN]);
    server = await startServer(session, { port: 0 });
    base = server.url;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await session?.close();
  });

  it('renders the list and the first report at / without any script', async () => {
    const r = await http(base, '/', { headers: { host: new URL(base).host } });
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    for (const s of ['洪泽区人民政府', '淮安市人民政府', '3119', 'T4-REV', 'T4-AFT']) expect(r.text).toContain(s);
    expect(r.text).toMatch(/<td class="v kind-number sev-error hit"[^>]*data-path="reviewLitigation\.review\.total"[^>]*data-rules="T4-REV"/);
    expect(r.text).toContain('<span class="expected">11</span>');
    expect(r.text).toContain('<span class="actual">0</span>');
  });

  it('gives each report its own URL, and serves nothing else', async () => {
    const host = { host: new URL(base).host };
    const huaian = session.list().find((e) => e.path === 'huaian-shizhengfu-2024.pdf')!;
    const page = await http(base, `/r/${huaian.id}`, { headers: host });
    expect(page.status).toBe(200);
    expect(page.text).toContain('aria-current="page">huaian-shizhengfu-2024.pdf');
    expect(page.text).not.toMatch(/class="v[^"]*sev-/); // a clean report: no cell marked
    expect(page.text).toContain('未发现问题');
    for (const p of ['/r/nope', '/hongze-quzhengfu-2023.pdf', `${SAMPLES}/hongze-quzhengfu-2023.pdf`, '/samples/hongze-quzhengfu-2023.pdf', '/assets/../session.ts', '/assets/%2e%2e/session.ts', '/export/../../etc/passwd']) {
      expect((await http(base, p, { headers: host })).status, p).toBe(404);
    }
    // No absolute path of a command-line file reaches the page or the records.
    expect(page.text).not.toContain(SAMPLES);
    expect((await http(base, '/export/reports.jsonl', { headers: host })).text).not.toContain(SAMPLES);
  });

  it('answers 403 to a foreign Host header (DNS rebinding) and to uploads from elsewhere', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`]) {
      const r = await http(base, '/', { headers: { host } });
      expect(r.status, host).toBe(403);
      expect(r.text).not.toContain('洪泽');
    }
    const before = session.parsed;
    const body = readFileSync(HONGZE);
    for (const origin of [undefined, 'http://evil.example', 'null']) {
      const headers = uploadHeaders(base, 'x.pdf');
      if (origin === undefined) delete (headers as Record<string, string>).origin;
      else headers.origin = origin;
      expect((await http(base, '/api/upload', { method: 'POST', headers, body })).status, String(origin)).toBe(403);
    }
    const crossSite = uploadHeaders(base, 'x.pdf', { 'sec-fetch-site': 'cross-site' });
    expect((await http(base, '/api/upload', { method: 'POST', headers: crossSite, body })).status).toBe(403);
    expect(session.parsed).toBe(before);
  });

  it('parses an upload like batch, and records a broken one with its reason', async () => {
    const broken = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300, 0x41)]);
    const r = await http(base, '/api/upload', { method: 'POST', headers: uploadHeaders(base, '../坏文件.pdf'), body: broken });
    expect(r.status).toBe(200);
    const rec = JSON.parse(r.text) as { id: string; status: string; code: string; reason: string; path: string };
    expect(rec).toMatchObject({ status: 'failed', code: 'corrupt', path: '坏文件.pdf' });
    expect(rec.reason.length).toBeGreaterThan(3);
    const page = await http(base, `/r/${rec.id}`, { headers: { host: new URL(base).host } });
    expect(page.text).toContain(esc(rec.reason));
    // The same file again is the same record, not a second one.
    const again = JSON.parse((await http(base, '/api/upload', { method: 'POST', headers: uploadHeaders(base, '坏文件.pdf'), body: broken })).text);
    expect(again.id).toBe(rec.id);
    expect(session.list().filter((e) => e.path === '坏文件.pdf')).toHaveLength(1);
  });

  it('exports the same CSV bytes as batch + export', async () => {
    const host = { host: new URL(base).host };
    const csv = (await http(base, '/export/reports.csv', { headers: host })).body;
    const jsonl = (await http(base, '/export/reports.jsonl', { headers: host })).body;
    // `nianbao export` over the page's records gives the page's CSV, byte for byte.
    const dir = scratchDir();
    writeFileSync(join(dir, 'reports.jsonl'), jsonl);
    expect(await exportCommand([join(dir, 'reports.jsonl'), '--to', 'csv', '--out', join(dir, 'cli.csv')], { stdout: sink(), stderr: sink() })).toBe(0);
    expect(readFileSync(join(dir, 'cli.csv')).equals(csv)).toBe(true);
    // And a batch run over the same files gives the same rows (parse times aside).
    await runBatch({ inputs: [HONGZE, HUAIAN], out: join(dir, 'batch'), jobs: 1 });
    const out = sink();
    await exportCsv(join(dir, 'batch', 'reports.jsonl'), out);
    const noMs = (rows: string[][]) => {
      const ms = rows[0].indexOf('ms');
      return rows.map((r) => r.filter((_, i) => i !== ms)).sort((a, b) => a[0].localeCompare(b[0]));
    };
    const pageRows = parseCsv(csv.toString('utf8')).filter((r) => r[1] === 'ok' || r[0] === 'path');
    expect(noMs(pageRows)).toEqual(noMs(parseCsv(out.text)));
    // XLSX: the same sheets and cells as `export --to xlsx` (its zip carries timestamps, so not the same bytes run to run).
    const xlsx = await http(base, '/export/reports.xlsx', { headers: host });
    expect(xlsx.status).toBe(200);
    writeFileSync(join(dir, 'cross-report.jsonl'), (await http(base, '/export/cross-report.jsonl', { headers: host })).body);
    expect(await exportCommand([join(dir, 'reports.jsonl'), '--to', 'xlsx', '--out', join(dir, 'cli.xlsx')], { stdout: sink(), stderr: sink() })).toBe(0);
    const sheets = async (buf: Buffer) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(buf as unknown as ArrayBuffer);
      return wb.worksheets.map((ws) => ({ name: ws.name, rows: ws.getSheetValues().map((r) => JSON.stringify(r)) }));
    };
    const fromPage = await sheets(xlsx.body);
    expect(fromPage.map((s) => s.name)).toEqual(['汇总', '问题清单', '失败文件']);
    expect(fromPage).toEqual(await sheets(readFileSync(join(dir, 'cli.xlsx'))));
    expect(fromPage[1].rows.join('\n')).toContain('T4-REV');
  }, 60_000);

  it('translates the audit\'s messages with ?lang=en', async () => {
    const r = await http(base, '/?lang=en', { headers: { host: new URL(base).host } });
    expect(r.text).toContain('<html lang="en">');
    expect(r.text).toContain('Findings');
    expect(r.text).toMatch(/Review: total \(0\)|review/i);
    expect(r.text).not.toContain('行政复议：总计（0）');
  });
});

describe('upload cap', () => {
  it('answers 413 over the cap, declared or streamed, with nothing parsed', async () => {
    const session = await Session.create({ jobs: 1, maxBytes: 10_000 });
    const server = await startServer(session, { port: 0 });
    try {
      const big = Buffer.alloc(50_000, 0x20);
      const declared = await http(server.url, '/api/upload', { method: 'POST', headers: { ...uploadHeaders(server.url, 'big.txt'), 'content-length': String(big.length) }, body: big });
      expect(declared.status).toBe(413);
      const streamed = await http(server.url, '/api/upload', { method: 'POST', headers: uploadHeaders(server.url, 'big.txt'), body: big, chunked: true });
      expect(streamed.status).toBe(413);
      expect(JSON.parse(streamed.text).code).toBe('too-large');
      expect(session.parsed).toBe(0);
      expect(session.list()).toHaveLength(0);
      expect(readFileSync(session.files.reports, 'utf8')).toBe('');
    } finally {
      await server.close();
      await session.close();
    }
  });
});

describe('preloading', () => {
  it('a page asked for while the start files are parsed waits for them', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'a.txt'), textReport({ agency: '某某市交通运输局', year: 2023 }));
    const session = await Session.create({ jobs: 1 });
    const server = await startServer(session, { port: 0 });
    try {
      const loading = session.addPaths([dir]);
      const page = await http(server.url, '/', { headers: { host: new URL(server.url).host } });
      await loading;
      expect(page.text).toContain('某某市交通运输局');
      expect(page.text).toContain('aria-current="page">a.txt');
    } finally {
      await server.close();
      await session.close();
    }
  }, 30_000);
});

describe('cross-report findings', () => {
  it('shows T3-XY when two years of one agency are loaded', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'a-2022.txt'), textReport({ year: 2022, table3: consistentTable3(1) }));
    writeFileSync(join(dir, 'a-2023.txt'), textReport({ year: 2023, table3: consistentTable3(2) }));
    const session = await Session.create({ jobs: 1 });
    const server = await startServer(session, { port: 0 });
    try {
      await session.addPaths([dir]);
      const y2023 = session.list().find((e) => e.path === 'a-2023.txt')!;
      const page = await http(server.url, `/r/${y2023.id}`, { headers: { host: new URL(server.url).host } });
      expect(page.text).toContain('跨报告问题');
      expect(page.text).toContain('data-rule="T3-XY"');
      expect(page.text).toContain('a-2022.txt (2022)');
      const cross = (await http(server.url, '/export/cross-report.jsonl', { headers: { host: new URL(server.url).host } })).text;
      expect(cross).toContain('"rule":"T3-XY"');
    } finally {
      await server.close();
      await session.close();
    }
  }, 30_000);
});

describe('nianbao serve (command)', () => {
  it('warns on a non-loopback host, prints the address, and removes its temp dir on close', async () => {
    const out = sink();
    const err = sink();
    const h = await startServe(['--host', '0.0.0.0', '--port', '0'], { stdout: out, stderr: err });
    if (typeof h === 'number') throw new Error(`exit ${h}: ${err.text}`);
    expect(err.text).toMatch(/warning: listening on 0\.0\.0\.0.*no login/);
    expect(out.text).toMatch(/^nianbao serve: http:\/\/0\.0\.0\.0:\d+\/\n$/);
    const dir = h.session.dir;
    expect(existsSync(dir)).toBe(true);
    await h.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('is quiet on loopback and refuses bad usage with 2', async () => {
    const err = sink();
    const h = await startServe(['--port', '0'], { stdout: sink(), stderr: err });
    if (typeof h === 'number') throw new Error('did not start');
    expect(err.text).not.toContain('warning');
    await h.close();
    expect(await startServe(['--port', 'x'], { stdout: sink(), stderr: sink() })).toBe(2);
    expect(await startServe(['--bogus'], { stdout: sink(), stderr: sink() })).toBe(2);
    const help = sink();
    expect(await startServe(['--help'], { stdout: help, stderr: sink() })).toBe(0);
    expect(help.text).toContain('--host');
  });

  it('on SIGINT and SIGTERM stops and removes its temporary directory', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const tmp = mkdtempSync(join(tmpdir(), 'nianbao-serve-tmp-'));
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'helpers/serve-child.ts'), '--port', '0'], {
        env: { ...process.env, TMPDIR: tmp },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      await new Promise<void>((res, rej) => {
        const t = setTimeout(() => rej(new Error(`no address printed: ${out}`)), 20_000);
        child.stdout.on('data', () => /http:\/\//.test(out) && (clearTimeout(t), res()));
      });
      expect(readdirSync(tmp).filter((f) => f.startsWith('nianbao-serve-'))).toHaveLength(1);
      const code = await new Promise<number | null>((res) => {
        child.on('exit', (c) => res(c));
        child.kill(signal);
      });
      expect(code, signal).toBe(0);
      expect(readdirSync(tmp).filter((f) => f.startsWith('nianbao-serve-')), signal).toEqual([]);
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
