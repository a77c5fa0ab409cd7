import { describe, expect, it } from 'vitest';
import { binaryClose, binaryDilate, binaryErode, binaryOpen } from './morphology.ts';
import { createVolume } from './volume.ts';

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** n³ zeros with a filled cube [lo, hi)³. */
function cube(n: number, lo: number, hi: number, spacing = [1, 1, 1]) {
  const data = new Uint8Array(n * n * n);
  for (let k = lo; k < hi; k++)
    for (let j = lo; j < hi; j++) for (let i = lo; i < hi; i++) data[i + n * (j + n * k)] = 1;
  return createVolume([n, n, n], data, { spacing });
}

/** Brute-force reference: the ball is every offset whose mm distance is ≤ r; outside the grid is background. */
function bruteForce(
  mask: Uint8Array,
  shape: number[],
  spacing: number[],
  r: number,
  op: 'dilate' | 'erode',
): Uint8Array {
  const [nx, ny, nz] = shape;
  const out = new Uint8Array(mask.length);
  const reach = spacing.map((s) => Math.floor(r / s));
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        let hit = op === 'erode';
        for (let c = -reach[2]; c <= reach[2]; c++)
          for (let b = -reach[1]; b <= reach[1]; b++)
            for (let a = -reach[0]; a <= reach[0]; a++) {
              if ((a * spacing[0]) ** 2 + (b * spacing[1]) ** 2 + (c * spacing[2]) ** 2 > r * r + 1e-9) continue;
              const [u, v, w] = [x + a, y + b, z + c];
              const inside = u >= 0 && u < nx && v >= 0 && v < ny && w >= 0 && w < nz;
              const fg = inside && mask[u + nx * (v + ny * w)] !== 0;
              if (op === 'dilate' && fg) hit = true;
              if (op === 'erode' && !fg) hit = false;
            }
        out[x + nx * (y + ny * z)] = hit ? 1 : 0;
      }
  return out;
}

describe('binary morphology with a ball in mm', () => {
  it('dilates one voxel into the lattice points of the ball (7, 19, 27 for r = 1, √2, √3)', () => {
    const v = cube(7, 3, 4);
    expect(sum(binaryDilate(v, { radius: 1 }).data)).toBe(7);
    expect(sum(binaryDilate(v, { radius: Math.SQRT2 }).data)).toBe(19);
    expect(sum(binaryDilate(v, { radius: Math.sqrt(3) }).data)).toBe(27);
    expect(sum(binaryDilate(v, { radius: 0 }).data)).toBe(1);
  });

  it('follows anisotropic spacing: r = 2 mm with 3 mm slices stays in plane (13 voxels)', () => {
    // Offsets with x² + y² + 9z² ≤ 4: z = 0 and x² + y² ≤ 4 → 1 + 4 + 4 + 4 = 13.
    expect(sum(binaryDilate(cube(7, 3, 4, [1, 1, 3]), { radius: 2 }).data)).toBe(13);
  });

  it('erodes a 5³ cube to 3³, and at the grid border only when outside is background', () => {
    expect(sum(binaryErode(cube(9, 2, 7), { radius: 1 }).data)).toBe(27);
    const full = cube(5, 0, 5);
    expect(sum(binaryErode(full, { radius: 1 }).data)).toBe(27);
    expect(sum(binaryErode(full, { radius: 1, outside: 'foreground' }).data)).toBe(125);
  });

  it('opens away an isolated voxel and the cube’s edges; closes a one-voxel hole', () => {
    const v = cube(11, 2, 7);
    v.data[9 + 11 * (9 + 11 * 9)] = 1;
    // Erosion leaves the 3³ core; dilating it by the 6-neighbour ball adds 6 faces of 3×3: 27 + 54 = 81.
    expect(sum(binaryOpen(v, { radius: 1 }).data)).toBe(81);
    const holed = cube(11, 3, 8);
    holed.data[5 + 11 * (5 + 11 * 5)] = 0;
    const closed = binaryClose(holed, { radius: 1 });
    expect(sum(closed.data)).toBe(125);
    expect(closed.data[5 + 11 * (5 + 11 * 5)]).toBe(1);
  });

  it('matches a brute-force ball on a random anisotropic mask', () => {
    const shape = [9, 8, 6];
    const spacing = [0.8, 1.1, 2.3];
    const mask = new Uint8Array(9 * 8 * 6);
    let s = 12345;
    for (let i = 0; i < mask.length; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      mask[i] = s / 2147483648 < 0.6 ? 1 : 0;
    }
    const v = createVolume(shape, mask, { spacing });
    for (const r of [1, 1.5, 2.4]) {
      expect(Array.from(binaryDilate(v, { radius: r }).data)).toEqual(
        Array.from(bruteForce(mask, shape, spacing, r, 'dilate')),
      );
      expect(Array.from(binaryErode(v, { radius: r }).data)).toEqual(
        Array.from(bruteForce(mask, shape, spacing, r, 'erode')),
      );
    }
  });

  it('erodes a W×H×1 mask as the 2D image it is: no empty slices above and below its one slice', () => {
    // A filled 5×5 square in a 7×7 plane: erosion by 1 mm (the 4-neighbour ball) leaves the 3×3 core, in 2D and
    // with a singleton third axis of any spacing (in 3D the empty slices beyond it would erode all of it).
    const square = Uint8Array.from({ length: 49 }, (_, p) =>
      p % 7 >= 1 && p % 7 <= 5 && Math.floor(p / 7) >= 1 && Math.floor(p / 7) <= 5 ? 1 : 0,
    );
    const flat = binaryErode(createVolume([7, 7], square), { radius: 1 });
    expect(sum(flat.data)).toBe(9);
    for (const spacing of [
      [1, 1, 1],
      [1, 1, 0.5],
    ]) {
      const slab = binaryErode(createVolume([7, 7, 1], square, { spacing }), { radius: 1 });
      expect(Array.from(slab.data)).toEqual(Array.from(flat.data));
      expect(Array.from(binaryOpen(createVolume([7, 7, 1], square, { spacing }), { radius: 1 }).data)).toEqual(
        Array.from(binaryOpen(createVolume([7, 7], square), { radius: 1 }).data),
      );
    }
  });

  it('works in 2D and rejects 4D and a negative radius', () => {
    const v = createVolume(
      [5, 5],
      Uint8Array.from({ length: 25 }, (_, i) => (i === 12 ? 1 : 0)),
    );
    expect(sum(binaryDilate(v, { radius: 1 }).data)).toBe(5);
    expect(() => binaryDilate(createVolume([2, 2, 2, 2], new Uint8Array(16)), { radius: 1 })).toThrow(/2D or 3D/);
    expect(() => binaryErode(v, { radius: -1 })).toThrow(/radius/);
  });
});
