import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';

/** `--convert-with` reaches the legacy readers through the worker, and `source.converter` says what converted. */

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
  const code = await main(argv, io);
  return { code, out, err };
}

const DOC = 'tests/fixtures/legacy/template-full.doc';
const hasSoffice = spawnSync('soffice', ['--version'], { stdio: 'ignore' }).status === 0;

describe('nianbao parse --convert-with', () => {
  it('by default reads a .doc with the built-in reader: no converter in source', async () => {
    const { code, out } = await run('parse', DOC);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.source.format).toBe('doc');
    expect(r.source.converter).toBeUndefined();
  });

  it('none is the built-in reader too', async () => {
    const { code, out } = await run('parse', DOC, '--convert-with', 'none');
    expect(code).toBe(0);
    expect(JSON.parse(out).source.converter).toBeUndefined();
  });

  it('a value other than soffice or none is bad usage (exit 2)', async () => {
    const { code, err } = await run('parse', DOC, '--convert-with', 'word');
    expect(code).toBe(2);
    expect(err).toMatch(/--convert-with must be soffice or none/);
  });

  it.runIf(hasSoffice)('soffice converts first, gives the same report, and says so in source.converter', async () => {
    const own = JSON.parse((await run('parse', DOC)).out);
    const { code, out } = await run('parse', DOC, '--convert-with', 'soffice', '--timeout', '180');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.source.converter).toMatch(/^soffice/);
    expect(r.report.applications).toEqual(own.report.applications);
  }, 200_000);
});
