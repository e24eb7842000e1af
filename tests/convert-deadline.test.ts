import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConverterGate } from '../src/batch/converter-gate.js';
import { WorkerPool } from '../src/batch/pool.js';
import { readConverted } from '../src/ingest/convert/soffice.js';
import { legacyFixture, withStream } from './helpers/legacy.js';

/**
 * LibreOffice conversions under the file's deadline: killed with their children when the deadline comes,
 * whether soffice's own timer or the pool ends them, and one at a time across a pool's workers.
 * A stand-in `soffice` (a shell script on the PATH) plays LibreOffice.
 */

/** A process's state letter from /proc (R, S, Z, …), or 'gone'. */
function processState(pid: number): string {
  try {
    return /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? 'gone';
  } catch {
    return 'gone';
  }
}
const ended = (pid: number) => /^(gone|Z)$/.test(processState(pid));

const saved = process.env.PATH;
let dir: string | undefined;
/** PATH starting at a folder holding a `soffice` script (set before a pool is made: workers copy the environment). */
function fakeSoffice(script: string): string {
  dir = mkdtempSync(path.join(tmpdir(), 'nianbao-fake-soffice-'));
  writeFileSync(path.join(dir, 'soffice'), `#!/bin/sh\nD="${dir}"\n${script}\n`);
  chmodSync(path.join(dir, 'soffice'), 0o755);
  process.env.PATH = `${dir}${path.delimiter}${saved ?? ''}`;
  return dir;
}
afterEach(() => {
  process.env.PATH = saved;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A .doc the built-in reader refuses (its WordDocument stream cut short): read through LibreOffice by default. */
const brokenDoc = () => withStream(legacyFixture('features.doc'), 'WordDocument', (s) => s.subarray(0, 0x30));

/** Records its pid, starts a child that would sleep a minute, and waits for it: a conversion that never ends. */
const HANGS = 'sleep 60 &\necho $! >> "$D/children"\necho $$ >> "$D/sofficepids"\nwait';

describe('a conversion under a deadline', () => {
  it('in one thread: ends before deadlineAt, its children killed, as timeout', async () => {
    const d = fakeSoffice(HANGS);
    const start = Date.now();
    await expect(readConverted('doc', brokenDoc(), { path: 'a.doc', deadlineAt: start + 2500 }, 'doc')).rejects.toMatchObject({ code: 'timeout', message: 'doc: LibreOffice could not convert it within the deadline' });
    expect(Date.now() - start).toBeLessThan(3500); // the deadline, plus what a loaded machine adds to a kill
    await new Promise((r) => setTimeout(r, 200));
    for (const pid of readFileSync(path.join(d, 'children'), 'utf8').trim().split('\n').map(Number)) expect(ended(pid), `child ${pid}`).toBe(true);
  }, 20_000);

  it('with too little time left it is not started', async () => {
    const d = fakeSoffice(HANGS);
    await expect(readConverted('doc', brokenDoc(), { path: 'a.doc', deadlineAt: Date.now() + 800 }, 'doc')).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/too little time left/) });
    expect(existsSync(path.join(d, 'sofficepids'))).toBe(false);
  });
});

describe('conversions in a worker pool', () => {
  it('the automatic fallback is bound by the file\'s --timeout: timeout, one line, no converter left running', async () => {
    const d = fakeSoffice(HANGS);
    const pool = new WorkerPool({ size: 1, timeoutMs: 3000, maxMemoryMb: 512 });
    try {
      const start = performance.now();
      const o = await pool.run({ bytes: brokenDoc(), path: 'broken.doc', lang: 'en' });
      expect(performance.now() - start).toBeLessThan(3000 + 8000); // the worker's start is not part of the deadline
      expect(o).toMatchObject({ kind: 'failed', code: 'timeout', reason: expect.stringMatching(/^doc: LibreOffice could not convert it within the deadline, tried because the built-in reader failed \(doc: /) });
      expect((o as { reason: string }).reason).not.toMatch(/\n/);
      expect(o.ms).toBeLessThan(3000);
      await new Promise((r) => setTimeout(r, 200));
      for (const pid of readFileSync(path.join(d, 'children'), 'utf8').trim().split('\n').map(Number)) expect(ended(pid), `child ${pid}`).toBe(true);
      expect(pool.converters.running()).toEqual([]);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('conversions take turns across the workers, each with a profile no running conversion shares', async () => {
    // Logs start and end with the profile it was given, takes a moment, then fails (the reader's own error stands).
    const d = fakeSoffice('P=$(echo "$@" | sed -n "s/.*UserInstallation=\\([^ ]*\\).*/\\1/p")\necho "start $P" >> "$D/log"\nsleep 0.5\necho "end $P" >> "$D/log"\nexit 1');
    const pool = new WorkerPool({ size: 2, timeoutMs: 20_000, maxMemoryMb: 512 });
    try {
      const outcomes = await Promise.all([1, 2, 3].map((i) => pool.run({ bytes: brokenDoc(), path: `b${i}.doc`, lang: 'en' })));
      for (const o of outcomes) expect(o).toMatchObject({ kind: 'failed', code: 'corrupt' });
      const log = readFileSync(path.join(d, 'log'), 'utf8').trim().split('\n');
      expect(log.map((l) => l.split(' ')[0])).toEqual(['start', 'end', 'start', 'end', 'start', 'end']);
      for (let i = 0; i < log.length; i += 2) expect(log[i].split(' ')[1]).toBe(log[i + 1].split(' ')[1]);
      expect(log[0].split(' ')[1]).toMatch(/^file:\/\/\/.*nianbao-soffice-profile-/);
    } finally {
      await pool.close();
    }
  }, 60_000);
});

describe('ConverterGate', () => {
  it('kills the process group of a turn whose owner is dropped, and gives the turn to the next in line', async () => {
    const gate = new ConverterGate(1);
    const a = {};
    const b = {};
    const granted: string[] = [];
    gate.request(a, 1, (p) => granted.push(`a ${p}`));
    gate.request(b, 1, (p) => granted.push(`b ${p}`));
    expect(granted).toHaveLength(1);
    const child = spawn('sh', ['-c', 'sleep 60 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const grandchild = Number(await new Promise<string>((r) => child.stdout.once('data', (d: Buffer) => r(d.toString()))));
    gate.started(a, 1, child.pid!);
    gate.drop(a);
    await new Promise((r) => setTimeout(r, 300));
    expect(ended(child.pid!)).toBe(true);
    expect(ended(grandchild)).toBe(true);
    expect(granted).toHaveLength(2);
    expect(granted[1]).toMatch(/^b /);
    // A dirty profile (the killed conversion's) is not handed on.
    expect(granted[1].slice(2)).not.toBe(granted[0].slice(2));
    gate.release(b, 1, false);
    await gate.close();
    expect(existsSync(granted[1].slice(2))).toBe(false);
  });

  it('a child reported for a turn already taken back is killed at once', async () => {
    const gate = new ConverterGate(1);
    const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    gate.started({}, 7, child.pid!);
    await new Promise((r) => setTimeout(r, 300));
    expect(ended(child.pid!)).toBe(true);
    await gate.close();
  });
});
