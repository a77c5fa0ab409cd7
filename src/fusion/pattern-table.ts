/**
 * Groups voxels by their decision pattern (the tuple of the raters' labels). Every STAPLE-type posterior with
 * global performance parameters depends on a voxel only through its pattern, so one EM step costs
 * O(patterns × raters) instead of O(voxels × raters): a consensus pattern (all raters agree) gets its posterior in
 * closed form once per step, and only the few distinct disagreement patterns are visited.
 * Open-addressing hash table over the tuples; consecutive voxels usually share a pattern, so that case is checked
 * first without hashing.
 */
import type { LabelIndexArray } from './rater-stack.ts';

/** The distinct decision patterns of a rater stack and how many voxels have each (built by `patternTable`). */
export interface PatternTable {
  /** Number of raters (entries per pattern). */
  raters: number;
  /** Number of distinct patterns. */
  size: number;
  /** The patterns, `raters` label indices each, pattern-major. */
  patterns: Uint16Array;
  /** Voxels per pattern. */
  counts: Float64Array;
  /** Each voxel's pattern, or -1 outside the mask. */
  voxelPattern: Int32Array;
}

/** Builds the pattern table of `indices` (one array per rater) over the voxels where `mask` is 1 (all when null). */
export function patternTable(indices: readonly LabelIndexArray[], mask: Uint8Array | null): PatternTable {
  const R = indices.length;
  const n = indices[0].length;
  const voxelPattern = new Int32Array(n).fill(-1);
  let capacity = 1024;
  let slots: Int32Array = new Int32Array(capacity).fill(-1);
  let patterns = new Uint16Array(capacity * R);
  let counts = new Float64Array(capacity);
  let size = 0;
  let last = -1;
  for (let v = 0; v < n; v++) {
    if (mask !== null && mask[v] === 0) continue;
    if (last >= 0) {
      let same = true;
      const base = last * R;
      for (let r = 0; r < R; r++) {
        if (patterns[base + r] !== indices[r][v]) {
          same = false;
          break;
        }
      }
      if (same) {
        voxelPattern[v] = last;
        counts[last]++;
        continue;
      }
    }
    let h = 0x811c9dc5;
    for (let r = 0; r < R; r++) h = Math.imul(h ^ indices[r][v], 0x01000193);
    let slot = (h >>> 0) & (capacity - 1);
    let id = -1;
    while (slots[slot] >= 0) {
      const cand = slots[slot];
      const base = cand * R;
      let r = 0;
      while (r < R && patterns[base + r] === indices[r][v]) r++;
      if (r === R) {
        id = cand;
        break;
      }
      slot = (slot + 1) & (capacity - 1);
    }
    if (id < 0) {
      id = size++;
      slots[slot] = id;
      for (let r = 0; r < R; r++) patterns[id * R + r] = indices[r][v];
      if (size * 2 > capacity) {
        capacity *= 2;
        const grown = new Uint16Array(capacity * R);
        grown.set(patterns);
        patterns = grown;
        const grownCounts = new Float64Array(capacity);
        grownCounts.set(counts);
        counts = grownCounts;
        slots = rehash(patterns, size, R, capacity);
      }
    }
    voxelPattern[v] = id;
    counts[id]++;
    last = id;
  }
  return { raters: R, size, patterns: patterns.slice(0, size * R), counts: counts.slice(0, size), voxelPattern };
}

/** The agreed label index of pattern `p`, or -1 when its raters disagree. */
export function consensusLabel(table: PatternTable, p: number): number {
  const base = p * table.raters;
  const first = table.patterns[base];
  for (let r = 1; r < table.raters; r++) if (table.patterns[base + r] !== first) return -1;
  return first;
}

function rehash(patterns: Uint16Array, size: number, R: number, capacity: number): Int32Array {
  const slots = new Int32Array(capacity).fill(-1);
  for (let id = 0; id < size; id++) {
    let h = 0x811c9dc5;
    for (let r = 0; r < R; r++) h = Math.imul(h ^ patterns[id * R + r], 0x01000193);
    let slot = (h >>> 0) & (capacity - 1);
    while (slots[slot] >= 0) slot = (slot + 1) & (capacity - 1);
    slots[slot] = id;
  }
  return slots;
}
