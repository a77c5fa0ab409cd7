/**
 * Largest-connected-component post-processing: for each non-zero label, keep only its largest 6-connected
 * (face-adjacent) component and set the other components' voxels to background. Written here because
 * `src/volume/` has no connected-component helper yet; a breadth-first flood fill over a 3D grid (2D: nz = 1).
 */
import type { Volume } from '../volume/volume.ts';

/** Keeps each label's largest face-connected component in `labels` (in place); returns the voxels removed. */
export function keepLargestComponents(labels: Volume<Uint8Array>): number {
  const [nx, ny = 1, nz = 1] = labels.shape;
  const data = labels.data;
  const n = data.length;
  const component = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const sizes: number[] = [];
  const componentLabel: number[] = [];
  const bestOf = new Map<number, number>();
  const plane = nx * ny;
  for (let seed = 0; seed < n; seed++) {
    const value = data[seed];
    if (value === 0 || component[seed] >= 0) continue;
    const id = sizes.length;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    component[seed] = id;
    while (head < tail) {
      const v = queue[head++];
      const i = v % nx;
      const j = Math.floor(v / nx) % ny;
      const k = Math.floor(v / plane);
      if (i > 0) tail = visit(v - 1, value, id, data, component, queue, tail);
      if (i < nx - 1) tail = visit(v + 1, value, id, data, component, queue, tail);
      if (j > 0) tail = visit(v - nx, value, id, data, component, queue, tail);
      if (j < ny - 1) tail = visit(v + nx, value, id, data, component, queue, tail);
      if (k > 0) tail = visit(v - plane, value, id, data, component, queue, tail);
      if (k < nz - 1) tail = visit(v + plane, value, id, data, component, queue, tail);
    }
    sizes.push(tail);
    componentLabel.push(value);
    const best = bestOf.get(value);
    if (best === undefined || tail > sizes[best]) bestOf.set(value, id);
  }
  let removed = 0;
  for (let v = 0; v < n; v++) {
    const id = component[v];
    if (id >= 0 && bestOf.get(componentLabel[id]) !== id) {
      data[v] = 0;
      removed++;
    }
  }
  return removed;
}

function visit(v: number, value: number, id: number, data: Uint8Array, component: Int32Array, queue: Int32Array, tail: number): number {
  if (data[v] !== value || component[v] >= 0) return tail;
  component[v] = id;
  queue[tail] = v;
  return tail + 1;
}
