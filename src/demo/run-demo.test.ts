import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoPhantom, runDemo } from './run-demo.ts';

describe('demoPhantom', () => {
  it('has a blood pool of 112 voxels in its basal slice', () => {
    // Voxel centres sit at half-integer offsets (a, b) from the centre; the pool holds a² + b² < (9 / 1.5)² = 36:
    // per sign of a, |a| = 0.5, 1.5 → 12 each, 2.5, 3.5 → 10, 4.5 → 8, 5.5 → 4: 56, so 112 in all.
    const v = demoPhantom();
    let pool = 0;
    for (let p = 0; p < 48 * 48; p++) if (v.data[p] === 1) pool++;
    expect(pool).toBe(112);
    expect(v.spacing).toEqual([1.5, 1.5, 8]);
  });
});

describe('runDemo', () => {
  it('writes the phantom into the folder and describes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'multirater-demo-test-'));
    const r = runDemo({ outDir: dir });
    expect(readdirSync(dir)).toEqual(['phantom_labels.nii.gz']);
    expect(r.file).toBe(join(dir, 'phantom_labels.nii.gz'));
    expect(r.description.shape).toEqual([48, 48, 8]);
    const labels = r.description.labels!;
    expect(Object.keys(labels)).toEqual(['0', '1', '2']);
    expect(r.description.sum).toBe(labels['1'] + 2 * labels['2']);
    expect(r.about).toMatch(/imperfect annotations/);
  });
});
