import { COUNT_COLUMNS, type CountColumn } from '../model/structure.js';

/**
 * Settles where the values of a table-3 row go when the row has fewer values
 * than columns (lost cells in tab-separated text, unaligned layouts): every
 * order-preserving placement is a candidate, and the one that satisfies the
 * row's 总计 and the table's column equations wins. Ties go to the placement
 * most rows agree on (a lost cell is usually the same column throughout), then
 * to a fixed preference. Pure arithmetic; it knows paths only as strings.
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
   * Rows whose placement the arithmetic does not settle: several placements that give
   * different values fit equally well, or none satisfies the row's own total.
   */
  unsettled: Map<string, { fits: number }>;
  /** Equations still violated with the chosen placements (for the message). */
  violations: number;
}

/**
 * The tie-break preference for which column lost its value: legal-person
 * columns first (mostly zero in real reports, so a lost one costs least),
 * from the right; then 自然人; 总计 last, as it is what the rows are checked by.
 */
const LOSS_PREFERENCE: Record<number, number> = { 5: 0, 4: 1, 3: 2, 2: 3, 1: 4, 0: 5, 6: 6 };

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

/** The row's own identity: non-negative cells whose parts add up to the total. */
function rowHolds(slots: Slots): boolean {
  if (slots.some((v) => v === null || v < 0)) return false;
  const parts = (slots as number[]).slice(0, TOTAL).reduce((a, b) => a + b, 0);
  return parts === slots[TOTAL];
}

/** Beyond this many short rows the row-by-row check is skipped (its cost grows with the square). */
const MAX_JOINT_ROWS = 16;
/** Random restarts of the joint solve when checking that its reading is the only one (cost: a few ms a table). */
const RANDOM_RESTARTS = 24;

const sameSlots = (a: Slots, b: Slots) => a.every((v, i) => v === b[i]);

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

function preference(p: Placement): number {
  return p.missing.reduce((a, c) => a + LOSS_PREFERENCE[c], 0);
}

export interface Equations {
  /** Paths whose sum per column must equal `total` per column (T3-OUT). */
  outParts: string[];
  /** newReceived + carriedOver = results.total + carriedForward (T3-BAL). */
  balance: { left: string[]; right: string[] };
  total: string;
}

function countViolations(rows: Map<string, Slots>, eq: Equations): number {
  let bad = 0;
  for (const slots of rows.values()) {
    if (slots.some((v) => v === null)) continue;
    const parts = (slots as number[]).slice(0, TOTAL).reduce((a, b) => a + b, 0);
    if (parts !== slots[TOTAL]) bad++;
    if (slots.some((v) => (v as number) < 0)) bad += 2;
  }
  const sum = (paths: string[], c: number): number | null => {
    let s = 0;
    for (const p of paths) {
      // A row not in the table read (a partial table) leaves the equation open, not 0.
      const row = rows.get(p);
      if (!row || row[c] === null) return null;
      s += row[c] as number;
    }
    return s;
  };
  for (let c = 0; c < NCOL; c++) {
    const total = rows.get(eq.total)?.[c];
    const parts = sum(eq.outParts, c);
    if (total !== null && total !== undefined && parts !== null && parts !== total) bad++;
    const l = sum(eq.balance.left, c);
    const r = sum(eq.balance.right, c);
    if (l !== null && r !== null && l !== r) bad++;
  }
  return bad;
}

export function align(rows: AlignRow[], eq: Equations): AlignResult {
  const current = new Map<string, Slots>();
  const options = new Map<string, Placement[]>();
  const chosen = new Map<string, Placement>();
  for (const row of rows) {
    if (row.fixed) current.set(row.path, row.fixed);
    else if (row.values) {
      const cands = candidatesFor(row.values).sort((a, b) => preference(a) - preference(b));
      options.set(row.path, cands);
      chosen.set(row.path, cands[0]);
      current.set(row.path, cands[0].slots);
    }
  }
  if (options.size === 0) return { placements: chosen, unsettled: new Map(), violations: countViolations(current, eq) };

  // Coordinate descent: each ambiguous row in turn takes its best placement given the others.
  const bestFor = (path: string): { cost: number; cands: Placement[] } => {
    const cands = options.get(path)!;
    let cost = Infinity;
    const costs = cands.map((p) => {
      current.set(path, p.slots);
      const v = countViolations(current, eq);
      cost = Math.min(cost, v);
      return v;
    });
    current.set(path, chosen.get(path)!.slots);
    return { cost, cands: cands.filter((_, i) => costs[i] === cost) };
  };
  for (let pass = 0; pass < 6; pass++) {
    let changed = false;
    for (const path of options.keys()) {
      const { cands } = bestFor(path);
      if (!cands.includes(chosen.get(path)!)) {
        chosen.set(path, cands[0]);
        current.set(path, cands[0].slots);
        changed = true;
      }
    }
    if (!changed) break;
  }
  // Consensus: among each row's equally good placements, prefer the loss pattern most rows admit.
  const best = new Map([...options.keys()].map((p) => [p, bestFor(p).cands]));
  const support = new Map<string, number>();
  for (const cands of best.values()) for (const c of cands) support.set(c.missing.join(','), (support.get(c.missing.join(',')) ?? 0) + 1);
  for (const [path, cands] of best) {
    const pick = [...cands].sort(
      (a, b) => (support.get(b.missing.join(','))! - support.get(a.missing.join(','))!) || preference(a) - preference(b),
    )[0];
    chosen.set(path, pick);
    current.set(path, pick.slots);
  }
  // Settled means one reading: every equally good placement gives the same values, and it
  // satisfies the row's own total. Otherwise the values are not placed at all.
  const unsettled = new Map<string, { fits: number }>();
  // Jointly, too: a column left blank in every short row fits anywhere as long as all rows
  // agree, so the descent is restarted with every column as the lost one; rows that come out
  // otherwise in an equally good solution are not settled.
  const primary = countViolations(current, eq);
  /** Coordinate descent from the given starting placements; rows that end otherwise in an as-good solution are unsettled. */
  const restartFrom = (start: (path: string, cands: Placement[]) => Placement) => {
    const alt = new Map<string, Slots>(current);
    const altChosen = new Map<string, Placement>();
    for (const [path, cands] of options) {
      const first = start(path, cands);
      altChosen.set(path, first);
      alt.set(path, first.slots);
    }
    for (let pass = 0; pass < 6; pass++) {
      let changed = false;
      for (const [path, cands] of options) {
        let best = Infinity;
        let pick = altChosen.get(path)!;
        for (const c of cands) {
          alt.set(path, c.slots);
          const v = countViolations(alt, eq);
          if (v < best) {
            best = v;
            pick = c;
          }
        }
        alt.set(path, pick.slots);
        if (pick !== altChosen.get(path)) {
          altChosen.set(path, pick);
          changed = true;
        }
      }
      if (!changed) break;
    }
    if (countViolations(alt, eq) > primary) return;
    for (const path of options.keys())
      if (!sameSlots(alt.get(path)!, current.get(path)!)) unsettled.set(path, { fits: Math.max(2, unsettled.get(path)?.fits ?? 2) });
  };
  for (let m = 0; m < NCOL; m++) restartFrom((_, cands) => cands.find((c) => c.missing.includes(m)) ?? cands[0]);
  // Dropped zeros let short rows trade values in ways no single lost column describes: seeded
  // random restarts look for other readings as good as the one found (deterministic: a fixed seed).
  let state = 0x9e3779b9;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let k = 0; k < RANDOM_RESTARTS; k++) restartFrom((_, cands) => cands[Math.floor(next() * cands.length)]);
  // And row by row: another reading of one row that fits its own total, with the other short
  // rows re-solved around it, as good as the solution found: that row is not settled either.
  const descend = (state: Map<string, Slots>, fixedPath: string) => {
    for (let pass = 0; pass < 3; pass++) {
      let changed = false;
      for (const [path, cands] of options) {
        if (path === fixedPath) continue;
        let best = countViolations(state, eq);
        let pick = state.get(path)!;
        for (const c of cands) {
          state.set(path, c.slots);
          const v = countViolations(state, eq);
          if (v < best) {
            best = v;
            pick = c.slots;
          }
        }
        state.set(path, pick);
        if (!sameSlots(pick, current.get(path)!)) changed = true;
      }
      if (!changed) break;
    }
    return countViolations(state, eq);
  };
  if (options.size <= MAX_JOINT_ROWS)
    for (const [path, cands] of options) {
      if (unsettled.has(path)) continue;
      const own = current.get(path)!;
      for (const c of cands) {
        if (sameSlots(c.slots, own) || !rowHolds(c.slots)) continue;
        const state = new Map(current);
        state.set(path, c.slots);
        if (descend(state, path) <= primary) {
          unsettled.set(path, { fits: 2 });
          break;
        }
      }
    }
  for (const path of options.keys()) {
    const { cands } = bestFor(path);
    const fits = cands.filter((c) => rowHolds(c.slots));
    const distinct = fits.filter((c, i) => fits.findIndex((d) => sameSlots(c.slots, d.slots)) === i);
    if (distinct.length !== 1) unsettled.set(path, { fits: distinct.length });
    else if (unsettled.has(path)) continue;
    else if (!sameSlots(chosen.get(path)!.slots, distinct[0].slots)) {
      chosen.set(path, distinct[0]);
      current.set(path, distinct[0].slots);
    }
  }
  return { placements: chosen, unsettled, violations: countViolations(current, eq) };
}

export const COLUMN_KEYS: CountColumn[] = COUNT_COLUMNS.map((c) => c.key);
