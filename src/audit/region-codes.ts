/** What a region's voxels say: the label misses a structure, adds one, or names the wrong structure. */
export type RegionKind = 'missing' | 'extra' | 'swapped';

/** Code of each kind in the per-case region maps (0 = not suspicious); the viewer names them from here. */
export const REGION_CODES: Record<RegionKind, number> = { missing: 1, extra: 2, swapped: 3 };
