import picomatch from 'picomatch';

/**
 * Glob matching for `nianbao batch` arguments and `--from` lines, through picomatch
 * (Node 20 has no fs.glob, and shells leave quoted patterns alone). An argument that
 * names an existing file or directory is taken literally before any of this
 * (`gx[2024].txt`, `a{1}.txt`): see expandInputs. Matching is on `/`-separated paths
 * relative to the pattern's static prefix.
 */

/** A pattern picomatch cannot compile (an unclosed brace or class, a reversed range). */
export class PatternError extends Error {
  override name = 'PatternError';
}

export function hasMagic(pattern: string): boolean {
  return picomatch.scan(pattern.replace(/\\/g, '/')).isGlob;
}

/**
 * Splits a pattern into the directory to walk and the part to match below it:
 * `reports/2024/**\/*.pdf` → { base: 'reports/2024', rest: '**\/*.pdf' }.
 */
export function splitPattern(pattern: string): { base: string; rest: string } {
  const p = pattern.replace(/\\/g, '/');
  const scan = picomatch.scan(p);
  if (!scan.isGlob) return { base: p, rest: '' };
  const base = scan.base;
  return { base: base === '' ? (p.startsWith('/') ? '/' : '.') : base, rest: scan.glob };
}

/** The matcher of a pattern's part below its base; throws PatternError for a malformed one. */
export function globMatcher(glob: string, opts: { dot?: boolean } = {}): (path: string) => boolean {
  let re: RegExp;
  try {
    re = picomatch.makeRe(glob, { dot: !!opts.dot, strictBrackets: true });
  } catch (e) {
    throw new PatternError(`bad glob pattern '${glob}': ${(e as Error).message.split('\n')[0]}`);
  }
  // picomatch compiles what it cannot parse to a pattern that matches nothing.
  if (re.source === '$^') throw new PatternError(`bad glob pattern '${glob}'`);
  return (path) => re.test(path);
}

