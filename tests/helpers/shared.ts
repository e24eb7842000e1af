import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The project's shared/ folder beside the checkout (CI: a copy next to the clone; a git worktree one level
 * deeper), or undefined when it is absent, so tests that read it can skip.
 */
export function sharedDir(sub: string): string | undefined {
  return ['../shared', '../../shared'].map((d) => resolve(d, sub)).find((d) => existsSync(d));
}
