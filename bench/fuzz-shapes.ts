/**
 * The shapes fuzz at scale (issue 8): seeded renderings of a consistent report in every text
 * shape (tests/helpers/fuzz-shapes.ts), with sparse rows and cuts at random lines, each parsed
 * twice: as rendered, and with one table-3 value changed.
 *
 *   npx tsx bench/fuzz-shapes.ts [--n 2000] [--from 1] [--verbose]
 *
 * Prints: wrong values (must be 0), % of present cells placed (≥ 99 %), error findings on the
 * consistent renderings (0), and % of injected errors caught and located (≥ 99 %); beside them the
 * cells no reader can place (several placements satisfy every equation) and the wrong values
 * in the renderings with an injected error.
 */
import { parseBytes } from '../src/parse.js';
import { NianbaoError } from '../src/errors.js';
import { TABLE3_ROWS } from '../src/model/index.js';
import { align, type AlignRow } from '../src/recognize/align.js';
import { readCell } from '../src/recognize/values.js';
import { COUNTS } from '../tests/helpers/fill-template.js';
import { SHAPES, scoreShape, shapeCase, type ShapeCase } from '../tests/helpers/fuzz-shapes.js';

const T3 = TABLE3_ROWS.filter((r) => r.formats.includes('2021'));
const OUT_PARTS = T3.filter((r) => r.path.startsWith('results.') && r.path !== 'results.total').map((r) => r.path);

/**
 * What no reader can place: the generator's own knowledge (every row printed whole as its truth,
 * every sparse row as the values it printed, rows beyond a cut absent) solved exactly against the
 * row totals and column equations. The present cells that more than one placement satisfying
 * every equation gives different values: the ceiling of "placed" is 1 − this / present cells.
 */
function ambiguousCells(c: ShapeCase): { cells: number; noSolution: boolean } {
  const input: AlignRow[] = [];
  for (const r of T3) {
    const paths = COUNTS.map((k) => `applications.${r.path}.${k}`);
    if (!paths.every((p) => c.present.has(p))) continue;
    const printed = c.printed[r.path];
    input.push(printed ? { path: r.path, values: printed.map((t) => readCell(t).value ?? 0) } : { path: r.path, fixed: paths.map((p) => c.truth[p]) });
  }
  const res = align(input, { outParts: OUT_PARTS, total: 'results.total', balance: { left: ['newReceived', 'carriedOver'], right: ['results.total', 'carriedForward'] } });
  let cells = 0;
  let noSolution = false;
  for (const u of res.unsettled.values()) {
    cells += u.agreed.filter((g) => g === null).length;
    if (u.fits === 0) noSolution = true;
  }
  return { cells, noSolution };
}

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const total = arg('n', 2000);
const from = arg('from', 1);
const verbose = process.argv.includes('--verbose');

let cells = 0;
let placed = 0;
let wrong = 0;
let errorCases = 0;
let injected = 0;
let caught = 0;
let located = 0;
let refused = 0;
let ambiguous = 0;
let oracleFailures = 0;
let injectedWrong = 0;
const byShape = new Map<string, { n: number; cells: number; placed: number; wrong: number; errors: number; injected: number; located: number; ambiguous: number; injectedWrong: number }>();
const examples: string[] = [];
const started = Date.now();

for (let k = 0; k < total; k++) {
  const seed = from + Math.floor(k / SHAPES.length);
  const shape = SHAPES[k % SHAPES.length];
  const s = byShape.get(shape) ?? byShape.set(shape, { n: 0, cells: 0, placed: 0, wrong: 0, errors: 0, injected: 0, located: 0, ambiguous: 0, injectedWrong: 0 }).get(shape)!;
  s.n++;
  const c = shapeCase(seed, shape);
  const amb = ambiguousCells(c);
  ambiguous += amb.cells;
  s.ambiguous += amb.cells;
  if (amb.noSolution) oracleFailures++;
  try {
    const r = await parseBytes(c.bytes, { path: `${c.name}.txt` });
    const sc = scoreShape(c, r);
    cells += sc.cells;
    placed += sc.placed;
    wrong += sc.wrong.length;
    s.cells += sc.cells;
    s.placed += sc.placed;
    s.wrong += sc.wrong.length;
    if (sc.errors.length) {
      errorCases++;
      s.errors++;
    }
    if ((sc.wrong.length || sc.errors.length) && examples.length < 12) examples.push(`${c.name} [${c.notes.join('; ')}]\n    ${[...sc.wrong, ...sc.errors].slice(0, 4).join('\n    ')}`);
    if (verbose && sc.cells !== sc.placed) console.log(`${c.name}: ${sc.placed}/${sc.cells} placed [${c.notes.join('; ')}]`);
  } catch (e) {
    refused++;
    if (examples.length < 12) examples.push(`${c.name}: ${e instanceof NianbaoError ? e.message : String(e)}`);
  }
  const ci = shapeCase(seed, shape, { inject: true });
  if (!ci.injected) continue; // cut before table 3: nothing to inject into
  try {
    const r = await parseBytes(ci.bytes, { path: `${ci.name}-err.txt` });
    const sc = scoreShape(ci, r);
    injected++;
    s.injected++;
    // Promise 1 holds with an error in the text too: values other than the injected one stay exact or unplaced.
    const others = sc.wrong.filter((w) => !w.startsWith(`${ci.injected!.path}:`)).length;
    injectedWrong += others;
    s.injectedWrong += others;
    if (sc.caught) caught++;
    if (sc.located) {
      located++;
      s.located++;
    } else if (examples.length < 12) examples.push(`${ci.name} injected not located [${ci.notes.join('; ')}]`);
  } catch {
    injected++;
    s.injected++;
  }
}

const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(2) : '—');
console.log(`shapes fuzz: ${total} renderings (seeds ${from}…${from + Math.ceil(total / SHAPES.length) - 1}, ${SHAPES.length} shapes) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`  wrong values:                        ${wrong}`);
console.log(`  cells placed:                        ${pct(placed, cells)} % (${placed} of ${cells} present cells)`);
console.log(`  error findings on consistent text:   ${errorCases} renderings`);
console.log(`  refused (not read as a report):      ${refused}`);
console.log(`  ambiguous for any reader:            ${ambiguous} present cells (${pct(ambiguous, cells)} %: placed can reach ${pct(cells - ambiguous, cells)} %)${oracleFailures ? `; ${oracleFailures} renderings where the truth solved nothing (a solver bug)` : ''}`);
console.log(`  injected errors caught:              ${pct(caught, injected)} %`);
console.log(`  injected errors caught and located:  ${pct(located, injected)} % (of ${injected} renderings with an error)`);
console.log(`  wrong values beside the injected one: ${injectedWrong}`);
console.log('  by shape:  shape            placed %  ceiling %   wrong  error-cases  located %  wrong (injected)');
for (const [shape, s] of byShape)
  console.log(
    `             ${shape.padEnd(16)} ${pct(s.placed, s.cells).padStart(7)}  ${pct(s.cells - s.ambiguous, s.cells).padStart(9)}   ${String(s.wrong).padStart(5)}  ${String(s.errors).padStart(11)}  ${pct(s.located, s.injected).padStart(9)}  ${String(s.injectedWrong).padStart(16)}`,
  );
if (examples.length) console.log(`\nexamples:\n  ${examples.join('\n  ')}`);
