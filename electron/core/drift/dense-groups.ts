/**
 * Numbers the distinct tuples of dimension codes that occur in the rows 0 … G−1 (in order of
 * first appearance), so that per-group counts fit in arrays of G entries — G is at most the
 * number of rows however many dimensions there are, where the product of the cardinalities
 * (every possible tuple) quickly is not (50 values over ten dimensions: 50^10).
 *
 * One pass per dimension: the key (group so far · card_i + code_i) stays below rows · card_i,
 * so it is exact and, when small enough, looked up in a flat array instead of a Map.
 */
export interface DenseGroups {
  groups: number;
  /** codes of group g: groupCodes[g · nDims + i]. */
  groupCodes: Uint8Array;
  /** group of each row (a fresh array the caller may reuse). */
  groupOf: Uint32Array;
}

const FLAT_LOOKUP_MAX = 1 << 24;

export function denseGroups(codes: readonly Uint8Array[], cards: readonly number[], rows: number): DenseGroups {
  const nDims = codes.length;
  const groupOf = new Uint32Array(rows);
  // For each level: the parent group and the code that made each new group.
  const parents: Uint32Array[] = [];
  const lastCodes: Uint8Array[] = [];
  let groups = 1;
  for (let i = 0; i < nDims; i++) {
    const card = cards[i];
    const d = codes[i];
    const parent: number[] = [];
    const code: number[] = [];
    if (groups * card <= FLAT_LOOKUP_MAX) {
      const lookup = new Int32Array(groups * card).fill(-1);
      for (let r = 0; r < rows; r++) {
        const key = groupOf[r] * card + d[r];
        let id = lookup[key];
        if (id < 0) {
          id = lookup[key] = parent.length;
          parent.push(groupOf[r]);
          code.push(d[r]);
        }
        groupOf[r] = id;
      }
    } else {
      const lookup = new Map<number, number>();
      for (let r = 0; r < rows; r++) {
        const key = groupOf[r] * card + d[r];
        let id = lookup.get(key);
        if (id === undefined) {
          id = parent.length;
          lookup.set(key, id);
          parent.push(groupOf[r]);
          code.push(d[r]);
        }
        groupOf[r] = id;
      }
    }
    groups = Math.max(1, parent.length);
    parents.push(Uint32Array.from(parent));
    lastCodes.push(Uint8Array.from(code));
  }
  if (rows === 0) groups = nDims === 0 ? 1 : 0;
  const groupCodes = new Uint8Array(groups * nDims);
  for (let g = 0; g < groups; g++) {
    let id = g;
    for (let i = nDims - 1; i >= 0; i--) {
      groupCodes[g * nDims + i] = lastCodes[i][id];
      id = parents[i][id];
    }
  }
  return { groups, groupCodes, groupOf };
}
