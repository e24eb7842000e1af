import { COUNT_COLUMNS, type CountColumn } from '../model/structure.js';

/**
 * Settles where the values of a table-3 row go when the row has fewer values than columns
 * (text tools drop blank cells, tab-separated copies lose one): every order-preserving
 * placement that satisfies the row's own 总计 is a candidate, and the candidates of all such
 * rows are searched together, exactly, against the column equations of the table. A row is
 * placed only when every joint solution gives it the same values; several, or none, leave it
 * unplaced. Rows printed whole are certain and never moved; one whose own total fails holds an
 * error (or our misreading) and is left out of the search, so the error is not "explained" by
 * moving other rows' values. Pure arithmetic; it knows paths only as strings.
 */

const NCOL = COUNT_COLUMNS.length; // 7: six applicant columns and 总计
const TOTAL = NCOL - 1;

/** Known values (number), or null where the cell is unknown (lost). */
export type Slots = (number | null)[];

export interface AlignRow {
  path: string;
  /** Fixed slots, when the row's placement is not in question. */
  fixed?: Slots;
  /** The values read, in order, when fewer than seven and their columns are unknown. */
  values?: number[];
}

export interface Placement {
  /** Column index of each value read. */
  positions: number[];
  /** Columns left without a value. */
  missing: number[];
  slots: Slots;
}

export interface AlignResult {
  placements: Map<string, Placement>;
  /**
   * Rows whose placement the arithmetic does not settle: `fits` joint solutions give the row
   * different values (0: none satisfies the row total and the equations together, or the
   * search was too large to finish).
   */
  unsettled: Map<string, Unsettled>;
  /** Equations still violated with the rows placed (unsettled rows left open). */
  violations: number;
}

/** A cell of an unsettled row that every reading still possible gives the same value. */
export interface Agreed {
  value: number;
  /** Index of the value read that stands there in every such reading; absent for a dropped cell. */
  token?: number;
}

export interface Unsettled {
  fits: number;
  /** Per column: the value all readings still possible agree on, or null where they differ. */
  agreed: (Agreed | null)[];
}

export interface Equations {
  /** Paths whose sum per column must equal `total` per column (T3-OUT). */
  outParts: string[];
  /** newReceived + carriedOver = results.total + carriedForward (T3-BAL). */
  balance: { left: string[]; right: string[] };
  total: string;
  /** Printed group subtotals and their sub-rows (T3-SUB). */
  groups?: { total: string; parts: string[] }[];
}

/**
 * Which column lost its value, when placements that give the same values differ only in
 * where a printed 0 stands (provenance only, never the values): legal-person columns first,
 * from the right; then 自然人; 总计 last.
 */
const LOSS_PREFERENCE: Record<number, number> = { 5: 0, 4: 1, 3: 2, 2: 3, 1: 4, 0: 5, 6: 6 };

/**
 * Work allowed per table (readings examined by the propagation: tens of ms, a few hundred at
 * worst, when most rows of a large table are sparse); beyond it the
 * rows not yet proven keep every reading of their own total. Deterministic, unlike a clock.
 */
const WORK_BUDGET = 10_000_000;

function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const rec = (start: number, acc: number[]) => {
    if (acc.length === k) {
      out.push([...acc]);
      return;
    }
    for (let i = start; i < n; i++) {
      acc.push(i);
      rec(i + 1, acc);
      acc.pop();
    }
  };
  rec(0, []);
  return out;
}

function candidatesFor(values: number[]): Placement[] {
  const k = Math.min(values.length, NCOL);
  return combinations(NCOL, k).map((positions) => {
    const slots: Slots = new Array(NCOL).fill(null);
    positions.forEach((p, i) => (slots[p] = values[i]));
    const missing = [...Array(NCOL).keys()].filter((c) => !positions.includes(c));
    return { positions, missing, slots: fillDropped(slots) };
  });
}

/**
 * One lost cell is what the row total says (T3-ROW). Two or more: text tools drop the
 * cells of a row that were blank (or 0), so the applicant cells count 0 and a lost total
 * is their sum; the column equations of the whole table then test that reading.
 */
export function fillDropped(slots: Slots): Slots {
  const unknown = slots.flatMap((v, i) => (v === null ? [i] : []));
  if (unknown.length <= 1) return deriveLost(slots);
  return deriveLost(slots.map((v, i) => (v === null && i !== TOTAL ? 0 : v)));
}

/** A row with exactly one lost cell gets it from T3-ROW (总计 = 自然人 + Σ法人). */
export function deriveLost(slots: Slots): Slots {
  const unknown = slots.flatMap((v, i) => (v === null ? [i] : []));
  if (unknown.length !== 1) return slots;
  const out = [...slots];
  const u = unknown[0];
  const parts = out.slice(0, TOTAL) as (number | null)[];
  if (u === TOTAL) out[TOTAL] = parts.reduce<number>((a, b) => a + (b ?? 0), 0);
  else out[u] = (out[TOTAL] as number) - parts.reduce<number>((a, b, i) => a + (i === u ? 0 : (b ?? 0)), 0);
  return out;
}

/** The row's own identity: non-negative cells whose parts add up to the total. */
export function rowHolds(slots: Slots): boolean {
  if (slots.some((v) => v === null || v < 0)) return false;
  const parts = (slots as number[]).slice(0, TOTAL).reduce((a, b) => a + b, 0);
  return parts === slots[TOTAL];
}

const preference = (p: Placement): number => p.missing.reduce((a, c) => a + LOSS_PREFERENCE[c], 0);
const slotKey = (s: Slots) => s.join(',');

/** The row's candidates that satisfy its own total, one per distinct reading, best provenance first. */
export function readingsOf(values: number[]): Placement[] {
  const byValues = new Map<string, Placement>();
  for (const p of candidatesFor(values).filter((c) => rowHolds(c.slots)).sort((a, b) => preference(a) - preference(b)))
    if (!byValues.has(slotKey(p.slots))) byValues.set(slotKey(p.slots), p);
  return [...byValues.values()];
}

/** One linear identity of one column: Σ sign·row[col] = 0. */
interface Identity {
  col: number;
  terms: { path: string; sign: 1 | -1 }[];
}

function identities(eq: Equations): Identity[] {
  const out: Identity[] = [];
  const side = (paths: string[], sign: 1 | -1) => paths.map((path) => ({ path, sign }));
  for (let col = 0; col < NCOL; col++) {
    out.push({ col, terms: [...side([eq.total], 1), ...side(eq.outParts, -1)] });
    out.push({ col, terms: [...side(eq.balance.left, 1), ...side(eq.balance.right, -1)] });
    for (const g of eq.groups ?? []) out.push({ col, terms: [...side([g.total], 1), ...side(g.parts, -1)] });
  }
  return out;
}

/** A column identity over the search's variables: K + Σ sign·domain[v][col] = 0. */
interface Constraint {
  k: number;
  col: number;
  vars: { v: number; sign: 1 | -1 }[];
}

/**
 * Exact search over the rows' readings with bounds propagation on every identity. For each
 * row it finds which readings occur in some joint solution (witnessed) and which occur in
 * none (refuted); a reading neither witnessed nor refuted when the work budget runs out is open.
 */
class Search {
  private alive: Uint8Array[];
  private size: number[];
  /** value[v][col][i]: column `col` of reading i of row v. */
  private value: Int32Array[][];
  private consOf: number[][];
  private trail: [number, number][] = [];
  exhausted = false;

  constructor(
    domains: Slots[][],
    private constraints: Constraint[],
    /** Shared by every search of one table. */
    private budget: { work: number },
  ) {
    this.alive = domains.map((d) => new Uint8Array(d.length).fill(1));
    this.size = domains.map((d) => d.length);
    this.value = domains.map((d) => [...Array(NCOL).keys()].map((c) => Int32Array.from(d.map((s) => s[c] as number))));
    this.consOf = domains.map(() => []);
    constraints.forEach((c, k) => c.vars.forEach(({ v }) => this.consOf[v].push(k)));
  }

  private kill(v: number, i: number) {
    this.alive[v][i] = 0;
    this.size[v]--;
    this.trail.push([v, i]);
  }

  private undo(mark: number) {
    while (this.trail.length > mark) {
      const [v, i] = this.trail.pop()!;
      this.alive[v][i] = 1;
      this.size[v]++;
    }
  }

  /** Bounds consistency to a fixpoint over the identities queued; false when a row has no reading left. */
  private propagate(queue: number[]): boolean {
    const queued = new Uint8Array(this.constraints.length);
    for (const k of queue) queued[k] = 1;
    const lo: number[] = [];
    const hi: number[] = [];
    while (queue.length) {
      if (this.budget.work > WORK_BUDGET) {
        this.exhausted = true;
        return false;
      }
      const k = queue.pop()!;
      queued[k] = 0;
      const c = this.constraints[k];
      let sumLo = c.k;
      let sumHi = c.k;
      for (let t = 0; t < c.vars.length; t++) {
        const { v, sign } = c.vars[t];
        const alive = this.alive[v];
        const col = this.value[v][c.col];
        let a = Infinity;
        let b = -Infinity;
        for (let i = 0; i < alive.length; i++) {
          if (!alive[i]) continue;
          const x = sign * col[i];
          if (x < a) a = x;
          if (x > b) b = x;
        }
        this.budget.work += alive.length;
        lo[t] = a;
        hi[t] = b;
        sumLo += a;
        sumHi += b;
      }
      if (sumLo > 0 || sumHi < 0) return false;
      for (let t = 0; t < c.vars.length; t++) {
        if (lo[t] === hi[t]) continue;
        const { v, sign } = c.vars[t];
        const restLo = sumLo - lo[t];
        const restHi = sumHi - hi[t];
        const alive = this.alive[v];
        const col = this.value[v][c.col];
        let changed = false;
        for (let i = 0; i < alive.length; i++) {
          if (!alive[i]) continue;
          const x = sign * col[i];
          if (restLo + x > 0 || restHi + x < 0) {
            this.kill(v, i);
            changed = true;
          }
        }
        this.budget.work += alive.length;
        if (!changed) continue;
        if (this.size[v] === 0) return false;
        for (const k2 of this.consOf[v])
          if (!queued[k2]) {
            queued[k2] = 1;
            queue.push(k2);
          }
      }
    }
    return true;
  }

  /** Row v reads only as reading i (for the search below); false when that contradicts. */
  private assign(v: number, i: number): boolean {
    const alive = this.alive[v];
    for (let j = 0; j < alive.length; j++) if (alive[j] && j !== i) this.kill(v, j);
    return this.propagate([...this.consOf[v]]);
  }

  /** Depth-first for one joint solution under the current domains; its reading per row, or null. */
  private solve(): number[] | null {
    let pick = -1;
    let best = Infinity;
    for (let v = 0; v < this.size.length; v++) {
      const n = this.size[v];
      if (n > 1 && n < best) [pick, best] = [v, n];
    }
    if (pick < 0) return this.alive.map((a) => a.indexOf(1));
    for (let i = 0; i < this.alive[pick].length; i++) {
      if (!this.alive[pick][i]) continue;
      const mark = this.trail.length;
      const found = this.assign(pick, i) ? this.solve() : null;
      this.undo(mark);
      if (found || this.exhausted) return found;
    }
    return null;
  }

  /** Readings of each row that some joint solution uses; `open` when the search did not finish. */
  run(): { witnessed: Set<number>[]; open: boolean[] } {
    const witnessed = this.alive.map(() => new Set<number>());
    const open = this.alive.map(() => false);
    const all = this.constraints.map((_, k) => k);
    if (!this.propagate(all)) {
      if (this.exhausted) open.fill(true);
      return { witnessed, open };
    }
    this.trail.length = 0;
    for (let v = 0; v < this.alive.length; v++)
      for (let i = 0; i < this.alive[v].length; i++) {
        if (!this.alive[v][i] || witnessed[v].has(i)) continue;
        if (this.exhausted) {
          open[v] = true;
          continue;
        }
        const mark = this.trail.length;
        const found = this.assign(v, i) ? this.solve() : null;
        this.undo(mark);
        if (found) found.forEach((j, w) => witnessed[w].add(j));
        else if (this.exhausted) open[v] = true;
        else {
          // Refuted: no joint solution reads the row this way; drop it for the rows after.
          this.kill(v, i);
          const ok = this.propagate([...this.consOf[v]]);
          this.trail.length = 0;
          if (!ok) {
            if (this.exhausted) for (let w = 0; w < open.length; w++) open[w] = true;
            return { witnessed, open };
          }
        }
      }
    return { witnessed, open };
  }
}

/** Per column, the value (and the value read) every reading gives it, or null. */
function agreement(readings: Placement[]): (Agreed | null)[] {
  return [...Array(NCOL).keys()].map((c) => {
    const value = readings[0].slots[c] as number;
    if (readings.some((p) => p.slots[c] !== value)) return null;
    const tokens = new Set(readings.map((p) => p.positions.indexOf(c)));
    const [token] = tokens;
    return tokens.size === 1 && token >= 0 ? { value, token } : { value };
  });
}

function countViolations(rows: Map<string, Slots>, ids: Identity[]): number {
  let bad = 0;
  for (const id of ids) {
    let s = 0;
    let known = true;
    for (const t of id.terms) {
      const x = rows.get(t.path)?.[id.col];
      if (x === null || x === undefined) {
        known = false;
        break;
      }
      s += t.sign * x;
    }
    if (known && s !== 0) bad++;
  }
  return bad;
}

/** Joint solutions under one set of known rows: per row, the readings some solution uses. */
function solveUnder(ids: Identity[], known: Map<string, Slots>, vars: { path: string; readings: Placement[] }[], budget: { work: number }) {
  const varOf = new Map(vars.map((s, i) => [s.path, i]));
  // Each identity over the search's rows: the known rows fold into its constant; one with an
  // unknown cell (a row not read, a lost cell, a row left out) says nothing about that column.
  const constraints: Constraint[] = [];
  for (const id of ids) {
    let k = 0;
    let open = false;
    const cv: Constraint['vars'] = [];
    for (const t of id.terms) {
      const v = varOf.get(t.path);
      if (v !== undefined) {
        cv.push({ v, sign: t.sign });
        continue;
      }
      const x = known.get(t.path)?.[id.col];
      if (x === null || x === undefined) open = true;
      else k += t.sign * x;
    }
    // Known rows alone break it: these known rows hold an error, no reading can be trusted on them.
    if (!open && !cv.length && k !== 0) return { witnessed: vars.map(() => new Set<number>()), open: vars.map(() => false), none: true };
    if (!open && cv.length) constraints.push({ k, col: id.col, vars: cv });
  }
  const search = new Search(
    vars.map((s) => s.readings.map((p) => p.slots)),
    constraints,
    budget,
  );
  const { witnessed, open } = search.run();
  return { witnessed, open, none: !search.exhausted && witnessed.every((w) => w.size === 0) };
}

/** Beyond this many whole rows whose own total fails, they are left out of the search whole. */
const MAX_SUSPECT_ROWS = 2;

export function align(rows: AlignRow[], eq: Equations): AlignResult {
  const ids = identities(eq);
  const fixed = new Map<string, Slots>();
  const sparse: { path: string; readings: Placement[] }[] = [];
  for (const row of rows) {
    if (row.values) sparse.push({ path: row.path, readings: readingsOf(row.values) });
    else if (row.fixed) fixed.set(row.path, row.fixed);
  }
  const placements = new Map<string, Placement>();
  const unsettled = new Map<string, Unsettled>();
  const vars = sparse.filter((s) => s.readings.length > 0);
  for (const s of sparse) if (s.readings.length === 0) unsettled.set(s.path, { fits: 0, agreed: new Array(NCOL).fill(null) });

  // A whole row whose own total fails holds an error (or a misreading) in a cell we cannot
  // name. Each of its cells in turn is taken as the wrong one (left open) and the rest trusted;
  // a reading is possible if it is under any of these. So the error is never explained by
  // moving other rows' values. With more such rows, they are left out of the search whole.
  const suspects = [...fixed].filter(([, x]) => x.every((y) => y !== null) && !rowHolds(x)).map(([p]) => p);
  let hypotheses: (number | null)[][] = [[]];
  if (suspects.length > MAX_SUSPECT_ROWS) hypotheses = [suspects.map(() => null)];
  else for (const _ of suspects) hypotheses = hypotheses.flatMap((h) => [...Array(NCOL).keys()].map((c) => [...h, c]));
  const witnessed = vars.map(() => new Set<number>());
  const open = vars.map(() => false);
  let none = true;
  const budget = { work: 0 };
  for (const h of hypotheses) {
    const known = new Map(fixed);
    suspects.forEach((p, i) => known.set(p, fixed.get(p)!.map((x, c) => (h[i] === null || h[i] === c ? null : x))));
    const r = solveUnder(ids, known, vars, budget);
    if (!r.none) none = false;
    vars.forEach((_, v) => {
      r.witnessed[v].forEach((i) => witnessed[v].add(i));
      if (r.open[v]) open[v] = true;
    });
  }

  const solved = new Map<string, Slots>(fixed);
  vars.forEach((s, v) => {
    // The readings still possible: those some joint solution uses; when the search did not
    // finish, or no joint solution exists (an error, or our misreading), every reading of the
    // row's own total.
    const possible = open[v] || none ? s.readings : [...witnessed[v]].sort((a, b) => a - b).map((i) => s.readings[i]);
    if (possible.length === 1) {
      placements.set(s.path, possible[0]);
      solved.set(s.path, possible[0].slots);
    } else unsettled.set(s.path, { fits: open[v] || none ? 0 : possible.length, agreed: agreement(possible) });
  });
  const rowFails = [...solved.values()].filter((x) => x.every((y) => y !== null) && !rowHolds(x)).length;
  return { placements, unsettled, violations: countViolations(solved, ids) + rowFails };
}

export const COLUMN_KEYS: CountColumn[] = COUNT_COLUMNS.map((c) => c.key);
