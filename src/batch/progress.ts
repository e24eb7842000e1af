import { createRequire } from 'node:module';

export interface ProgressState {
  done: number;
  total: number;
  failed: number;
  startedAt: number;
}

export interface Progress {
  start(total: number): void;
  update(s: ProgressState): void;
  stop(): void;
}

interface Stream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

/** A bar on a terminal, a line every `everyMs` otherwise (logs of CI jobs and cluster arrays), nothing with --quiet. */
export function makeProgress(stream: Stream, opts: { quiet: boolean; everyMs?: number }): Progress {
  if (opts.quiet) return silentProgress;
  return stream.isTTY ? barProgress(stream) : lineProgress(stream, opts.everyMs ?? 5000);
}

function rate(s: ProgressState): { perSec: number; etaSec: number } {
  const sec = (Date.now() - s.startedAt) / 1000;
  const perSec = sec > 0 ? s.done / sec : 0;
  return { perSec, etaSec: perSec > 0 ? (s.total - s.done) / perSec : NaN };
}

function fmtEta(sec: number): string {
  if (!Number.isFinite(sec)) return '?';
  if (sec < 60) return `${Math.round(sec)}s`;
  if (sec < 3600) return `${Math.floor(sec / 60)}m${String(Math.round(sec % 60)).padStart(2, '0')}s`;
  return `${Math.floor(sec / 3600)}h${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}m`;
}

function barProgress(stream: Stream): Progress {
  // Loaded only for a terminal: a batch's start waits on its imports, and a log or --quiet never draws a bar.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      // cli-progress types want a NodeJS.WritableStream; it only calls write/cursor methods, which a TTY stream has.
      stream: stream as unknown as NodeJS.WritableStream,
      format: 'batch [{bar}] {value}/{total} | {rate} files/s | ETA {etaText} | {failed} failed',
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start(total) {
      bar.start(total, 0, { rate: '0.0', etaText: '?', failed: 0 });
    },
    update(s) {
      const r = rate(s);
      bar.update(s.done, { rate: r.perSec.toFixed(1), etaText: fmtEta(r.etaSec), failed: s.failed });
    },
    stop() {
      bar.stop();
    },
  };
}

function lineProgress(stream: Stream, everyMs: number): Progress {
  let last = 0;
  let latest: ProgressState | null = null;
  const print = (s: ProgressState) => {
    const r = rate(s);
    const pct = s.total ? Math.floor((100 * s.done) / s.total) : 100;
    stream.write(`nianbao batch: ${s.done}/${s.total} (${pct}%), ${r.perSec.toFixed(1)} files/s, ETA ${fmtEta(r.etaSec)}, ${s.failed} failed\n`);
  };
  return {
    start(total) {
      last = Date.now();
      stream.write(`nianbao batch: ${total} files to process\n`);
    },
    update(s) {
      latest = s;
      if (Date.now() - last >= everyMs) {
        last = Date.now();
        print(s);
      }
    },
    stop() {
      if (latest) print(latest);
    },
  };
}
