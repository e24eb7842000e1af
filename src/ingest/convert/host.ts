/**
 * Who hands out turns at LibreOffice in this thread. Kept apart from the converter itself (soffice.ts),
 * so that a batch worker installs its host without loading the converter and its zip reader: most
 * batches never convert a file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NianbaoError } from '../../errors.js';

/**
 * One turn at the converter. LibreOffice instances must not share a profile (the second hands its
 * request to the first, or finds it locked), and each takes a few hundred MB, so whoever runs parses
 * hands out turns: in a worker pool the pool does, one conversion at a time across all its workers,
 * and it kills a converter whose worker it ends; in one thread, the default host below.
 */
export interface ConverterTurn {
  /** A LibreOffice profile folder no other running conversion uses. */
  profile: string;
  /** The converter's process group is running (whoever handed out the turn kills it if the parse is ended first). */
  started(pgid: number): void;
  /** The conversion is over; `dirty` when its profile may be locked or half-written (killed, failed). */
  done(dirty: boolean): void;
}

export interface ConverterHost {
  /** Waits for a turn; rejects when none comes before `deadlineAt` (epoch ms). */
  turn(deadlineAt: number | undefined, what: string): Promise<ConverterTurn>;
}

/** The error of a conversion that cannot finish before the file's deadline. */
export function tooLate(what: string, detail: string): NianbaoError {
  return new NianbaoError('timeout', `${what}: ${detail}`);
}

/**
 * Turns in this thread: one at a time, in order, with one throwaway profile kept for the thread (a new
 * profile costs about a second of a conversion's five or six) and removed at exit.
 */
function inThreadHost(): ConverterHost {
  let profile: string | undefined;
  let busy = false;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else busy = false;
  };
  return {
    async turn(deadlineAt, what) {
      if (busy) {
        await new Promise<void>((resolve, reject) => {
          const go = () => {
            clearTimeout(timer);
            resolve();
          };
          const timer =
            deadlineAt === undefined
              ? undefined
              : setTimeout(() => {
                  waiting.splice(waiting.indexOf(go), 1);
                  reject(tooLate(what, 'another conversion with LibreOffice held the converter until the deadline'));
                }, Math.max(0, deadlineAt - Date.now()));
          waiting.push(go);
        });
      }
      busy = true;
      try {
        if (!profile) {
          const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-soffice-profile-'));
          profile = dir;
          process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
        }
      } catch (e) {
        release();
        throw e;
      }
      const dir = profile;
      return {
        profile: dir,
        started: () => undefined,
        done: (dirty) => {
          if (dirty && profile === dir) {
            rmSync(dir, { recursive: true, force: true });
            profile = undefined;
          }
          release();
        },
      };
    },
  };
}

let host: ConverterHost = inThreadHost();

/** Who hands out converter turns in this thread (a pool's worker installs one that asks the pool). */
export function setConverterHost(h: ConverterHost): void {
  host = h;
}

/** The host in charge in this thread. */
export function converterHost(): ConverterHost {
  return host;
}
