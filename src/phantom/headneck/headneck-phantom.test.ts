import { describe, expect, it } from 'vitest';
import { headneckPhantom } from './headneck-phantom.ts';

describe('head-and-neck CT phantom', () => {
  const p = headneckPhantom({ seed: 2 });
  const [nx, ny, nz] = p.image.shape;
  const at = (i: number, j: number, k: number) => i + nx * (j + ny * k);

  it('is a CT in Hounsfield units: air outside the head, soft tissue inside, bone in the mandible', () => {
    expect(p.image.data[at(0, 0, nz - 1)]).toBeLessThan(-900);
    const bone: number[] = [];
    for (let v = 0; v < p.labels.data.length; v++) if (p.labels.data[v]) bone.push(p.image.data[v]);
    bone.sort((a, b) => a - b);
    expect(bone.length).toBeGreaterThan(1000);
    expect(bone[Math.floor(bone.length / 2)]).toBeGreaterThan(300);
  });

  it('draws the mandible as a U: both sides and the chin labelled in a body slice, the tongue between them not', () => {
    const k = Math.round((p.anatomy.bodyBottom + p.anatomy.bodyHeight / 2) / p.image.spacing[2]);
    const slice = (i: number, j: number) => p.labels.data[at(i, j, k)];
    const cols = (pred: (i: number) => boolean) => {
      let n = 0;
      for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) if (pred(i) && slice(i, j)) n++;
      return n;
    };
    expect(cols((i) => i < nx / 2 - 15)).toBeGreaterThan(20);
    expect(cols((i) => i > nx / 2 + 15)).toBeGreaterThan(20);
    const centre = Math.round(nx / 2);
    const labelledRows = Array.from({ length: ny }, (_, j) => j).filter((j) => slice(centre, j));
    expect(labelledRows.length).toBeGreaterThan(0);
    expect(Math.max(...labelledRows)).toBeLessThan(ny / 2); // only the chin, at the front (top of the slice)
  });

  it('keeps the teeth out of the truth: bright enamel above the mandible is not labelled', () => {
    let enamel = 0;
    let labelledEnamel = 0;
    for (let v = 0; v < p.image.data.length; v++) {
      if (p.image.data[v] > 2200) {
        enamel++;
        if (p.labels.data[v]) labelledEnamel++;
      }
    }
    expect(enamel).toBeGreaterThan(100);
    expect(labelledEnamel / enamel).toBeLessThan(0.05);
  });

  it('gives identical bytes for the same seed', () => {
    const q = headneckPhantom({ seed: 2 });
    expect(Buffer.from(q.image.data.buffer).equals(Buffer.from(p.image.data.buffer))).toBe(true);
    expect(Buffer.from(q.labels.data).equals(Buffer.from(p.labels.data))).toBe(true);
  });
});
