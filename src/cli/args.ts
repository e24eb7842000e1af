import { parseArgs as nodeParseArgs } from 'node:util';

/**
 * The commands' option parsing: node's util.parseArgs (as batch and export use),
 * shaped as flags and positionals, with its errors turned into usage errors.
 */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: { flags?: string[]; options?: string[] }): ParsedArgs {
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const f of spec.flags ?? []) options[f] = { type: 'boolean' };
  for (const o of spec.options ?? []) options[o] = { type: 'string' };
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  const flags = new Map<string, string | true>();
  for (const [k, v] of Object.entries(parsed.values)) if (v !== undefined && v !== false) flags.set(k, v === true ? true : String(v));
  return { positionals: parsed.positionals, flags };
}
