import { createReadStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportCsv } from '../export/csv.js';
import { exportXlsx } from '../export/xlsx.js';
import { allowedHosts, hostAllowed, originAllowed } from './guard.js';
import { isUiLang, type UiLang } from './i18n.js';
import { renderPage } from './render.js';
import type { Entry, Session } from './session.js';

export interface ServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Strict: scripts and styles from this server only, nothing inline, nothing framed, no other origin contacted. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

const ASSETS: Record<string, string> = {
  '/assets/app.js': 'text/javascript; charset=utf-8',
  '/assets/app.css': 'text/css; charset=utf-8',
};

/** dist/serve/assets after the build (copied by scripts/copy-assets.mjs), src/serve/assets under tsx/vitest. */
const ASSET_DIR = new URL('./assets/', import.meta.url);

export async function startServer(session: Session, opts: ServerOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    handle(session, req, res, allowed).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `internal error: ${(e as Error)?.message ?? String(e)}`.split('\n')[0]);
      else res.destroy();
    });
  });
  let allowed = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8123, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowed = allowedHosts(host, port);
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    host,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

async function handle(session: Session, req: IncomingMessage, res: ServerResponse, allowed: Set<string>): Promise<void> {
  if (!hostAllowed(req.headers.host, allowed)) {
    req.resume();
    return send(res, 403, 'text/plain; charset=utf-8', 'forbidden: unexpected Host header\n', { connection: 'close' });
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const lang: UiLang = isUiLang(url.searchParams.get('lang')) ? (url.searchParams.get('lang') as UiLang) : 'zh';
  const path = url.pathname;

  if (req.method === 'POST' && path === '/api/upload') return upload(session, req, res, allowed);
  await session.ready();
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' });

  if (path === '/') return page(session, res, lang, session.first());
  const m = /^\/r\/([A-Za-z0-9-]{1,40})$/.exec(path);
  if (m) {
    const entry = session.get(m[1]);
    return entry ? page(session, res, lang, entry) : send(res, 404, 'text/plain; charset=utf-8', 'no such report\n');
  }
  if (ASSETS[path]) return send(res, 200, ASSETS[path], await readFile(new URL('.' + path.slice('/assets'.length), ASSET_DIR)));
  if (path === '/api/reports') {
    return json(res, 200, session.list().map((e) => summaryOf(e)));
  }
  const api = /^\/api\/reports\/([A-Za-z0-9-]{1,40})$/.exec(path);
  if (api) {
    const entry = session.get(api[1]);
    return entry ? json(res, 200, { ...entry, ...(entry.status === 'ok' ? { findings: session.findings(entry, lang) } : {}) }) : json(res, 404, { error: 'no such report' });
  }
  if (path.startsWith('/export/')) return exportFile(session, path.slice('/export/'.length), res);
  return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
}

async function page(session: Session, res: ServerResponse, lang: UiLang, current: Entry | undefined): Promise<void> {
  const cross = await session.crossFindings(lang);
  const html = renderPage({ lang, maxBytes: session.maxBytes, entries: session.list(), ...(current ? { current } : {}), findings: current ? session.findings(current, lang) : [], cross });
  send(res, 200, 'text/html; charset=utf-8', html);
}

function summaryOf(e: Entry) {
  const base = { id: e.id, status: e.status, path: e.path };
  if (e.status === 'failed') return { ...base, code: e.code, reason: e.reason };
  if (e.status === 'duplicate') return { ...base, of: e.of };
  const r = e.result.report;
  const n = (s: string) => e.result.findings.filter((f) => f.severity === s).length;
  return { ...base, agency: r.agency, year: r.year, formatVersion: r.formatVersion, errors: n('error'), warnings: n('warning'), infos: n('info') };
}

/**
 * The body is read into memory up to the cap and no further: a declared length
 * over it is refused before reading, a body that grows past it is cut off. Either
 * way nothing reaches the parser.
 */
async function upload(session: Session, req: IncomingMessage, res: ServerResponse, allowed: Set<string>): Promise<void> {
  if (!originAllowed(req.headers.origin, allowed) || (req.headers['sec-fetch-site'] !== undefined && req.headers['sec-fetch-site'] !== 'same-origin')) {
    req.resume();
    return send(res, 403, 'text/plain; charset=utf-8', 'forbidden: uploads are accepted from this page only\n', { connection: 'close' });
  }
  const cap = session.maxBytes;
  const tooLarge = () => json(res, 413, { status: 'failed', code: 'too-large', reason: `the file is over the upload limit of ${bytesText(cap)}` });
  // Refused without storing a byte; the rest of the body is drained and dropped rather
  // than the connection reset, so the browser reads the 413 instead of a network error.
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > cap) {
    res.setHeader('connection', 'close');
    tooLarge();
    req.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  await new Promise<void>((resolve, reject) => {
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > cap) {
        over = true;
        chunks.length = 0;
        return resolve();
      }
      chunks.push(c);
    });
    req.on('end', () => resolve());
    req.on('error', reject);
  });
  if (over) {
    res.setHeader('connection', 'close');
    tooLarge();
    return;
  }
  let name = 'upload';
  try {
    name = decodeURIComponent(String(req.headers['x-file-name'] ?? 'upload'));
  } catch {
    // a malformed escape: keep the neutral name
  }
  const entry = await session.addUpload(name, Buffer.concat(chunks));
  json(res, 200, summaryOf(entry));
}

/** The loaded set as `batch` and `export` would write it: the same functions over the same reports.jsonl. */
async function exportFile(session: Session, name: string, res: ServerResponse): Promise<void> {
  const files = session.files;
  const attach = (type: string, file: string) => ({ ...SECURITY_HEADERS, 'content-type': type, 'content-disposition': `attachment; filename="${file}"` });
  await session.crossFindings(session.lang);
  switch (name) {
    case 'reports.jsonl':
    case 'cross-report.jsonl': {
      const file = name === 'reports.jsonl' ? files.reports : files.cross;
      const size = (await stat(file)).size;
      res.writeHead(200, { ...attach('application/jsonl; charset=utf-8', name), 'content-length': size });
      createReadStream(file).pipe(res);
      return;
    }
    case 'reports.csv': {
      res.writeHead(200, attach('text/csv; charset=utf-8', name));
      await exportCsv(files.reports, res);
      res.end();
      return;
    }
    case 'reports.xlsx': {
      const out = join(session.dir, `export-${Date.now()}-${Math.random().toString(36).slice(2)}.xlsx`);
      await exportXlsx({ reports: files.reports, cross: files.cross }, { filename: out });
      const body = await readFile(out);
      await rm(out, { force: true });
      res.writeHead(200, { ...attach('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', name), 'content-length': body.length });
      res.end(body);
      return;
    }
    default:
      send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  }
}

function bytesText(n: number): string {
  return n >= 1048576 ? `${Math.round(n / 1048576)} MB` : `${n} bytes`;
}
