import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The modules a plain parse loads at run time, from src/parse.ts through every
 * static and dynamic import that is not type-only. zod (and the schemas in
 * src/model that it builds on import) costs a cold `nianbao parse` a few hundred ms,
 * so it must not be among them: schemas are for `nianbao schema` and validation.
 */
function runtimeImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of src.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) if (!m[1]) specs.push(m[2]);
  for (const m of src.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]);
  return specs;
}

function graph(entry: string): Set<string> {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of runtimeImports(file)) {
      if (!spec.startsWith('.')) {
        seen.add(spec);
        continue;
      }
      const ts = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (existsSync(ts)) walk(ts);
    }
  };
  walk(resolve(entry));
  return seen;
}

describe('cold start', () => {
  it('a plain parse never loads zod or the zod schemas of src/model', () => {
    const mods = graph('src/parse.ts');
    expect(mods.has(resolve('src/ingest/text.ts'))).toBe(true);
    const zodFiles = [...mods].filter((m) => m === 'zod' || (m.endsWith('.ts') && /from ['"]zod['"]/.test(readFileSync(m, 'utf8'))));
    expect(zodFiles.map((m) => m.replace(resolve('.') + '/', ''))).toEqual([]);
  });

  it('the CLI entry loads neither the pipeline nor zod before a command needs them', () => {
    const mods = graph('src/cli/main.ts');
    // Lazy: reachable only through import() in a command, which this walk follows too; so check the static part.
    const staticOnly = new Set<string>();
    const walk = (file: string) => {
      if (staticOnly.has(file)) return;
      staticOnly.add(file);
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
        if (m[1] || !m[2].startsWith('.')) continue;
        const ts = resolve(dirname(file), m[2].replace(/\.js$/, '.ts'));
        if (existsSync(ts)) walk(ts);
      }
    };
    walk(resolve('src/cli/main.ts'));
    expect([...staticOnly].some((m) => m.endsWith(join('src', 'parse.ts')))).toBe(false);
    expect([...staticOnly].some((m) => /from ['"]zod['"]/.test(readFileSync(m, 'utf8')))).toBe(false);
    expect(mods.size).toBeGreaterThan(staticOnly.size);
  });

  it('a PDF or text parse loads no zip or OLE library, and the pool no converter, until a file needs them', () => {
    // Static imports only: these packages are required lazily by the code that reads a zip or OLE file.
    const statics = (entry: string) => {
      const seen = new Set<string>();
      const walk = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
          if (m[1]) continue;
          if (!m[2].startsWith('.')) seen.add(m[2]);
          else {
            const ts = resolve(dirname(file), m[2].replace(/\.js$/, '.ts'));
            if (existsSync(ts)) walk(ts);
          }
        }
      };
      walk(resolve(entry));
      return seen;
    };
    const sniffing = statics('src/ingest/detect.ts');
    expect(sniffing.has('fflate')).toBe(false);
    expect(sniffing.has('cfb')).toBe(false);
    const pool = statics('src/batch/pool.ts');
    expect([...pool].some((m) => m.endsWith(join('convert', 'soffice.ts')))).toBe(false);
    expect(pool.has('fflate')).toBe(false);
    // A batch worker's start: what worker.ts imports itself (statically or with import()), and their static graphs.
    const workerStart = new Set<string>();
    for (const spec of runtimeImports('src/batch/worker.ts')) {
      if (!spec.startsWith('.')) workerStart.add(spec);
      else for (const m of statics(resolve('src/batch', spec.replace(/\.js$/, '.ts')))) workerStart.add(m);
    }
    expect([...workerStart].some((m) => m.endsWith(join('convert', 'host.ts')))).toBe(true);
    expect([...workerStart].some((m) => m.endsWith(join('convert', 'soffice.ts')))).toBe(false);
    expect(workerStart.has('fflate')).toBe(false);
  });

  it('PDFium is loaded without its Emscripten glue (src/ingest/pdf/emscripten.ts stands in)', () => {
    const mods = graph('src/ingest/pdf/pdfium.ts');
    expect(mods.has(resolve('src/ingest/pdf/emscripten.ts'))).toBe(true);
    expect(mods.has('@embedpdf/pdfium')).toBe(false);
  });
});
