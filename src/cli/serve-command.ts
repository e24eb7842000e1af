import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { Lang } from '../audit/types.js';
import { DEFAULTS } from '../batch/run.js';
import { isLoopback } from '../serve/guard.js';
import { startServer, type RunningServer } from '../serve/server.js';
import { Session } from '../serve/session.js';
import { EXIT, type Io } from './io.js';

export const SERVE_HELP = `Usage: nianbao serve [FILE|DIR…] [--port N] [--host H] [--open]

A local web page for auditors: the report list, each report's three tables with
every finding marked on its cells, the narrative, and exports (JSON Lines, CSV,
XLSX: the same bytes as 'batch' + 'export'). Files given here are parsed at
start; files dropped on the page are parsed by the same worker pool, with the
same limits and failure codes as 'batch'. Nothing leaves this machine.

Options:
  --port N        port (default 8123; 0 picks a free one)
  --host H        address to bind (default 127.0.0.1). The page has no login:
                  any other address lets others on the network read and add reports
  --open          open the page in the default browser
  --lang zh|en    language the files are parsed in (the page switches either way)
  --jobs N        worker threads (default 2)
  --timeout S     per-file parse timeout in seconds (default ${DEFAULTS.timeoutMs / 1000})
  --max-size MB   largest file read or uploaded (default ${DEFAULTS.maxBytes / 1048576})
  -h, --help      this text

Stop with Ctrl-C: uploads are kept in memory and a private temporary directory,
removed on exit.
`;

export interface ServeHandle {
  server: RunningServer;
  session: Session;
  /** Settles when the files given on the command line are recorded. */
  loaded: Promise<void>;
  close(): Promise<void>;
}

const positive = (v: string | undefined, name: string, dflt: number): number => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, not ${v}`);
  return n;
};

/** Parses the arguments and the files and starts listening; the caller decides how long it runs. */
export async function startServe(argv: string[], io: Io): Promise<ServeHandle | number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        open: { type: 'boolean' },
        lang: { type: 'string' },
        jobs: { type: 'string' },
        timeout: { type: 'string' },
        'max-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return usage(io, (e as Error).message.split('\n')[0]);
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(SERVE_HELP);
    return EXIT.ok;
  }
  let port: number, jobs: number, timeout: number, maxMb: number;
  try {
    port = positive(v.port, '--port', 8123);
    jobs = positive(v.jobs, '--jobs', 2);
    timeout = positive(v.timeout, '--timeout', DEFAULTS.timeoutMs / 1000);
    maxMb = positive(v['max-size'], '--max-size', DEFAULTS.maxBytes / 1048576);
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  if (!Number.isInteger(port) || port > 65535) return usage(io, `--port must be a port number, not ${v.port}`);
  if (v.lang !== undefined && v.lang !== 'zh' && v.lang !== 'en') return usage(io, `--lang must be zh or en, not ${v.lang}`);
  const host = v.host ?? '127.0.0.1';
  const session = await Session.create({
    lang: (v.lang ?? 'zh') as Lang,
    jobs: Math.max(1, Math.floor(jobs)),
    timeoutMs: timeout * 1000,
    maxBytes: Math.round(maxMb * 1048576),
  });
  let server: RunningServer;
  try {
    server = await startServer(session, { host, port });
  } catch (e) {
    await session.close();
    io.stderr.write(`nianbao serve: cannot listen on ${host}:${port}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return EXIT.unreadable;
  }
  if (!isLoopback(host)) {
    io.stderr.write(`nianbao serve: warning: listening on ${host}, not on loopback. The page has no login: anyone who can reach this address can read the loaded reports and add files.\n`);
  }
  io.stdout.write(`nianbao serve: ${server.url}\n`);
  let loaded: Promise<void> = Promise.resolve();
  if (parsed.positionals.length) {
    io.stderr.write(`nianbao serve: reading ${parsed.positionals.length} argument(s); the page waits for them…\n`);
    loaded = session.addPaths(parsed.positionals, io.cwd ?? process.cwd()).then(() => {
      const all = session.list();
      const failed = all.filter((e) => e.status === 'failed');
      io.stderr.write(`nianbao serve: ${all.filter((e) => e.status === 'ok').length} report(s) read, ${failed.length} failed\n`);
      for (const f of failed) if (f.status === 'failed') io.stderr.write(`nianbao: ${f.path}: ${f.reason}\n`);
    });
  }
  if (v.open) openBrowser(server.url);
  return {
    server,
    session,
    loaded,
    close: async () => {
      await server.close();
      await session.close();
    },
  };
}

/**
 * `nianbao serve`: runs until SIGINT/SIGTERM, then removes its temporary directory.
 * The handlers are in place before anything starts, so a signal during start-up
 * (or while the start files are parsed) stops it cleanly too.
 */
export async function serveCommand(argv: string[], io: Io): Promise<number> {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const h = await startServe(argv, io);
    if (typeof h === 'number') return h;
    await stopped;
    await h.close();
    return EXIT.ok;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no opener on this machine: the address is printed anyway
  }
}

function usage(io: Io, msg: string): number {
  io.stderr.write(`nianbao serve: ${msg}\nTry 'nianbao serve --help'.\n`);
  return EXIT.usage;
}
