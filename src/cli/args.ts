/** A small argv parser: `--flag`, `--key value`, `--key=value`, positionals, `--` ends options. */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: { flags?: string[]; options?: string[] }): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  const known = new Set([...(spec.flags ?? []), ...(spec.options ?? []), 'help', 'h']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      const [rawKey, inline] = a.replace(/^--?/, '').split(/=(.*)/s, 2);
      const key = rawKey;
      if (!known.has(key)) throw new UsageError(`unknown option ${a}`);
      if ((spec.options ?? []).includes(key)) {
        const value = inline ?? argv[++i];
        if (value === undefined) throw new UsageError(`option --${key} needs a value`);
        flags.set(key, value);
      } else flags.set(key === 'h' ? 'help' : key, true);
    } else positionals.push(a);
  }
  return { positionals, flags };
}
