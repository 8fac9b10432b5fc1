import type { DriftFrame } from './frame';
import { NO_VALUE } from './frame';

/**
 * Slice counts from the drift frame: all rows, every value of every dimension, and every pair
 * of values of every pair of dimensions — in two steps:
 *
 *   1. base:   count per (group, window, bin) — one loop over the frame's rows
 *   2. rollup: add each base cell into the slot of every slice its group belongs to
 *              (1 + n + n(n−1)/2 slots per group, precomputed once per frame)
 *
 * so the cost is one pass over the rows per feature, plus G·2·bins·(1 + n + n(n−1)/2) additions
 * for G distinct dimension tuples. Slices are keyed as codeKey below ("0:3|2:1").
 */

/** Grouping sets as lists of dimension indexes: [], [i], [i, j]. */
export function sliceSets(nDims: number): number[][] {
  const sets: number[][] = [[]];
  for (let i = 0; i < nDims; i++) sets.push([i]);
  for (let i = 0; i < nDims; i++) for (let j = i + 1; j < nDims; j++) sets.push([i, j]);
  return sets;
}

/** Canonical key of a slice from its (dimension index, code) pairs. */
export function codeKey(pairs: Array<[number, number]>): string {
  return pairs.map(([d, c]) => `${d}:${c}`).join('|');
}

interface SliceSlots {
  sets: number[][];
  /** First slot of each set; a set's slots enumerate its code tuples in mixed radix. */
  offsets: number[];
  total: number;
  /** slot of group g in set s: slotOf[g · sets + s]. */
  slotOf: Uint32Array;
}

const slotCache = new WeakMap<DriftFrame, SliceSlots>();

function slotsOf(frame: DriftFrame): SliceSlots {
  const cached = slotCache.get(frame);
  if (cached) return cached;
  const sets = sliceSets(frame.nDims);
  const offsets: number[] = [];
  let total = 0;
  for (const s of sets) {
    offsets.push(total);
    total += s.reduce((a, i) => a * frame.cards[i], 1);
  }
  const S = sets.length;
  const slotOf = new Uint32Array(frame.groups * S);
  for (let g = 0; g < frame.groups; g++) {
    const codes = frame.groupCodes.subarray(g * frame.nDims, (g + 1) * frame.nDims);
    for (let s = 0; s < S; s++) {
      let idx = 0;
      for (const i of sets[s]) idx = idx * frame.cards[i] + codes[i];
      slotOf[g * S + s] = offsets[s] + idx;
    }
  }
  const slots = { sets, offsets, total, slotOf };
  slotCache.set(frame, slots);
  return slots;
}

/** The slice key of a slot (inverse of the mixed-radix numbering). */
function slotKey(slots: SliceSlots, cards: number[], slot: number): string {
  let s = slots.offsets.length - 1;
  while (slots.offsets[s] > slot) s--;
  const set = slots.sets[s];
  let idx = slot - slots.offsets[s];
  const codes = new Array<number>(set.length);
  for (let k = set.length - 1; k >= 0; k--) {
    codes[k] = idx % cards[set[k]];
    idx = Math.floor(idx / cards[set[k]]);
  }
  return codeKey(set.map((d, k) => [d, codes[k]]));
}

/** Adds per-(group, window, cell) values into per-(slot, window, cell) sums. */
function rollup(frame: DriftFrame, slots: SliceSlots, base: ArrayLike<number>, cells: number, into: Float64Array): void {
  const S = slots.sets.length;
  for (let g = 0; g < frame.groups; g++) {
    for (let w = 0; w < 2; w++) {
      const from = (g * 2 + w) * cells;
      for (let b = 0; b < cells; b++) {
        const v = base[from + b];
        if (v === 0) continue;
        for (let s = 0; s < S; s++) into[(slots.slotOf[g * S + s] * 2 + w) * cells + b] += v;
      }
    }
  }
}

export interface SliceSupport {
  baseline: number;
  current: number;
  judgedBaseline: number;
  judgedCurrent: number;
  judgeSumBaseline: number;
  judgeSumCurrent: number;
}

/** Rows and judge sums per slice and window. */
export function sliceSupport(frame: DriftFrame): Map<string, SliceSupport> {
  const slots = slotsOf(frame);
  // Per (group, window): rows, judged rows, judge sum.
  const base = new Float64Array(frame.groups * 2 * 3);
  const { gw, judge, rows } = frame;
  for (let r = 0; r < rows; r++) {
    const k = gw[r] * 3;
    base[k]++;
    const j = judge[r];
    if (j === j) {
      base[k + 1]++;
      base[k + 2] += j;
    }
  }
  const sums = new Float64Array(slots.total * 2 * 3);
  rollup(frame, slots, base, 3, sums);
  const out = new Map<string, SliceSupport>();
  for (let slot = 0; slot < slots.total; slot++) {
    const b = slot * 6;
    if (sums[b] === 0 && sums[b + 3] === 0) continue;
    out.set(slotKey(slots, frame.cards, slot), {
      baseline: sums[b],
      judgedBaseline: sums[b + 1],
      judgeSumBaseline: sums[b + 2],
      current: sums[b + 3],
      judgedCurrent: sums[b + 4],
      judgeSumCurrent: sums[b + 5],
    });
  }
  return out;
}

export interface SliceHistogram {
  baseline: number[];
  current: number[];
}

/** Bin counts of one feature per slice and window: one loop over the frame. */
export function sliceHistograms(frame: DriftFrame, feature: number, nBins: number): Map<string, SliceHistogram> {
  if (nBins >= NO_VALUE) throw new Error(`sliceHistograms: ${nBins} bins, at most ${NO_VALUE - 1}`);
  const slots = slotsOf(frame);
  const base = new Int32Array(frame.groups * 2 * nBins);
  const { gw, rows } = frame;
  const f = frame.features[feature];
  for (let r = 0; r < rows; r++) {
    const b = f[r];
    if (b < nBins) base[gw[r] * nBins + b]++;
  }
  const counts = new Float64Array(slots.total * 2 * nBins);
  rollup(frame, slots, base, nBins, counts);
  const out = new Map<string, SliceHistogram>();
  for (let slot = 0; slot < slots.total; slot++) {
    const from = slot * 2 * nBins;
    let any = false;
    for (let k = from; k < from + 2 * nBins; k++) {
      if (counts[k] !== 0) {
        any = true;
        break;
      }
    }
    if (!any) continue;
    out.set(slotKey(slots, frame.cards, slot), {
      baseline: Array.from(counts.subarray(from, from + nBins)),
      current: Array.from(counts.subarray(from + nBins, from + 2 * nBins)),
    });
  }
  return out;
}
