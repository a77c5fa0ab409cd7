import { describe, expect, it } from 'vitest';
import { connectedComponents, fullConnectivity, largestComponent } from './connected-components.ts';
import { createVolume } from './volume.ts';

function maskWith(shape: number[], points: number[][]) {
  const data = new Uint8Array(shape.reduce((a, b) => a * b, 1));
  for (const p of points) data[p[0] + shape[0] * ((p[1] ?? 0) + (shape[1] ?? 1) * (p[2] ?? 0))] = 1;
  return createVolume(shape, data);
}

describe('connectedComponents', () => {
  it('with byValue, separates touching voxels of different values (2D)', () => {
    // 1 1 2 2 0 1  →  three components: the 1s, the 2s, the lone 1
    const v = createVolume([6, 1], Uint8Array.from([1, 1, 2, 2, 0, 1]));
    expect(connectedComponents(v).count).toBe(2);
    const split = connectedComponents(v, { byValue: true });
    expect(split.count).toBe(3);
    expect(split.sizes).toEqual([2, 2, 1]);
    expect([...split.labels.data]).toEqual([1, 1, 2, 2, 0, 3]);
  });

  it('joins voxels sharing an edge or corner only with full connectivity (3D)', () => {
    const edge = maskWith(
      [3, 3, 3],
      [
        [0, 0, 0],
        [1, 1, 0],
      ],
    );
    expect(connectedComponents(edge).count).toBe(2);
    expect(connectedComponents(edge, { connectivity: 26 }).count).toBe(1);
    const corner = maskWith(
      [3, 3, 3],
      [
        [0, 0, 0],
        [1, 1, 1],
      ],
    );
    expect(connectedComponents(corner, { connectivity: 6 }).count).toBe(2);
    expect(connectedComponents(corner, { connectivity: 26 }).count).toBe(1);
  });

  it('numbers components by their first voxel in file order and counts their sizes (2D, 4 and 8)', () => {
    // . X . X
    // X X . .
    // . . . X
    const v = maskWith(
      [4, 3],
      [
        [1, 0],
        [3, 0],
        [0, 1],
        [1, 1],
        [3, 2],
      ],
    );
    const four = connectedComponents(v, { connectivity: 4 });
    expect(four.count).toBe(3);
    expect(four.sizes).toEqual([3, 1, 1]);
    expect(Array.from(four.labels.data)).toEqual([0, 1, 0, 2, 1, 1, 0, 0, 0, 0, 0, 3]);
    const eight = connectedComponents(v, { connectivity: 8 });
    expect(eight.sizes).toEqual([3, 1, 1]);
    const diagonal = maskWith(
      [2, 2],
      [
        [0, 0],
        [1, 1],
      ],
    );
    expect(connectedComponents(diagonal, { connectivity: 8 }).sizes).toEqual([2]);
  });

  it('keeps the grid and handles an empty mask', () => {
    const v = createVolume([2, 2, 2], new Uint8Array(8), { spacing: [1, 2, 3] });
    const cc = connectedComponents(v);
    expect(cc.count).toBe(0);
    expect(cc.sizes).toEqual([]);
    expect(cc.labels.spacing).toEqual([1, 2, 3]);
    expect(Array.from(largestComponent(v).data)).toEqual(new Array(8).fill(0));
  });

  it('follows a long winding component without recursion limits', () => {
    // A 1-voxel-wide serpentine through a 64×64 plane: one component of 64·32 + 31 voxels.
    const n = 64;
    const data = new Uint8Array(n * n);
    for (let j = 0; j < n; j += 2) for (let i = 0; i < n; i++) data[i + n * j] = 1;
    for (let j = 1; j < n - 1; j += 2) data[(j % 4 === 1 ? n - 1 : 0) + n * j] = 1;
    const cc = connectedComponents(createVolume([n, n], data));
    expect(cc.sizes).toEqual([64 * 32 + 31]);
  });

  it('largestComponent keeps only the biggest (the first on ties)', () => {
    const v = maskWith([5, 1, 1], [[0], [2], [3], [4]]);
    expect(Array.from(largestComponent(v).data)).toEqual([0, 0, 1, 1, 1]);
    const tie = maskWith([5, 1, 1], [[0], [2]]);
    expect(Array.from(largestComponent(tie).data)).toEqual([1, 0, 0, 0, 0]);
  });

  it('rejects a connectivity that does not fit the rank', () => {
    expect(() => connectedComponents(maskWith([2, 2, 2], []), { connectivity: 8 })).toThrow(/6 or 26 for a 3D/);
    expect(() => connectedComponents(maskWith([2, 2], []), { connectivity: 26 })).toThrow(/4 or 8 for a 2D/);
    expect(() => connectedComponents(maskWith([2, 2, 1], []), { connectivity: 26 })).toThrow(
      /^connectivity 26 is not 4 or 8 for a 2D volume, 2×2×1 with its singleton axes dropped$/,
    );
  });

  it('labels a W×H×1 volume (and a W×1×D one) as the 2D image it is: 4 and 8, the same components as W×H', () => {
    // X . .
    // . X .   one component with 8 (corners touch), two with 4
    const points = [
      [0, 0],
      [1, 1],
    ];
    for (const shape of [
      [3, 2],
      [3, 2, 1],
      [3, 1, 2],
    ]) {
      const v =
        shape[1] === 1
          ? maskWith(
              shape,
              points.map(([i, k]) => [i, 0, k]),
            )
          : maskWith(shape, points);
      expect([shape, connectedComponents(v, { connectivity: 8 }).sizes]).toEqual([shape, [2]]);
      expect([shape, connectedComponents(v, { connectivity: 4 }).sizes]).toEqual([shape, [1, 1]]);
      expect([shape, connectedComponents(v).count]).toEqual([shape, 2]); // default: faces only
      expect(fullConnectivity(shape)).toBe(8);
    }
    expect(fullConnectivity([3, 2, 2])).toBe(26);
  });
});
