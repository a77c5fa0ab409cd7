import { describe, expect, it } from 'vitest';
import { CARDIAC_GROUPS, CARDIAC_GROUP_SPECS } from './cardiac-groups.ts';
import { cardiacPhantom } from './cardiac-phantom.ts';
import { extractFrame } from '../../volume/slice.ts';
import { CARDIAC_VENDORS } from './cardiac-vendors.ts';

/** Volume (mL) of `label` in frame `t` of a 4D label map. */
function volumeMl(labels: { data: Uint8Array; shape: number[]; spacing: number[] }, t: number, label: number): number {
  const [nx, ny, nz] = labels.shape;
  const per = nx * ny * nz;
  let n = 0;
  for (let v = t * per; v < (t + 1) * per; v++) if (labels.data[v] === label) n++;
  return (n * labels.spacing[0] * labels.spacing[1] * labels.spacing[2]) / 1000;
}

describe('cardiac phantom', () => {
  it('gives identical bytes for the same seed and different ones for another seed', () => {
    const a = cardiacPhantom({ group: 'MINF', vendor: 'C', frames: 4, seed: 11 });
    const b = cardiacPhantom({ group: 'MINF', vendor: 'C', frames: 4, seed: 11 });
    const c = cardiacPhantom({ group: 'MINF', vendor: 'C', frames: 4, seed: 12 });
    expect(Buffer.from(a.image!.data.buffer).equals(Buffer.from(b.image!.data.buffer))).toBe(true);
    expect(Buffer.from(a.labels.data).equals(Buffer.from(b.labels.data))).toBe(true);
    expect(Buffer.from(a.image!.data.buffer).equals(Buffer.from(c.image!.data.buffer))).toBe(false);
  });

  it('puts EF and end-diastolic volumes of every group in its stated clinical range over 50 subjects', () => {
    for (let s = 0; s < 50; s++) {
      const group = CARDIAC_GROUPS[s % 5];
      const spec = CARDIAC_GROUP_SPECS[group];
      const p = cardiacPhantom({ group, vendor: CARDIAC_VENDORS[s % 4], seed: 7000 + s, image: false });
      const lvEd = volumeMl(p.labels, p.edFrame, 3);
      const lvEs = volumeMl(p.labels, p.esFrame, 3);
      const rvEd = volumeMl(p.labels, p.edFrame, 1);
      const rvEs = volumeMl(p.labels, p.esFrame, 1);
      const where = `${group} subject ${s}`;
      const lvEf = (100 * (lvEd - lvEs)) / lvEd;
      const rvEf = (100 * (rvEd - rvEs)) / rvEd;
      expect(lvEf, `${where} LV EF`).toBeGreaterThanOrEqual(spec.lvEf[0]);
      expect(lvEf, `${where} LV EF`).toBeLessThanOrEqual(spec.lvEf[1]);
      expect(rvEf, `${where} RV EF`).toBeGreaterThanOrEqual(spec.rvEf[0]);
      expect(rvEf, `${where} RV EF`).toBeLessThanOrEqual(spec.rvEf[1]);
      expect(lvEd, `${where} LV EDV`).toBeGreaterThanOrEqual(spec.lvEdv[0]);
      expect(lvEd, `${where} LV EDV`).toBeLessThanOrEqual(spec.lvEdv[1]);
      expect(rvEd, `${where} RV EDV`).toBeGreaterThanOrEqual(spec.rvEdv[0]);
      expect(rvEd, `${where} RV EDV`).toBeLessThanOrEqual(spec.rvEdv[1]);
    }
  });

  it('thickens the HCM wall beyond 15 mm at end-diastole, while a normal wall stays under 13 mm', () => {
    // Wall thickness along 72 rays from the LV centroid of the mid slice: the run of MYO after leaving the LV.
    const maxWall = (group: 'HCM' | 'NOR', seed: number) => {
      const p = cardiacPhantom({ group, seed, frames: 2, image: false });
      const ed = extractFrame(p.labels, 0);
      const [nx, ny, nz] = ed.shape;
      const k = Math.floor(nz / 2) - 1;
      const at = (x: number, y: number) => ed.data[Math.round(x) + nx * (Math.round(y) + ny * k)];
      let cx = 0;
      let cy = 0;
      let n = 0;
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) if (at(i, j) === 3) [cx, cy, n] = [cx + i, cy + j, n + 1];
      [cx, cy] = [cx / n, cy / n];
      let best = 0;
      for (let a = 0; a < 72; a++) {
        const [dx, dy] = [Math.cos((a * Math.PI) / 36), Math.sin((a * Math.PI) / 36)];
        let run = 0;
        for (let t = 0; t < 80; t += 0.25) {
          const x = cx + t * dx;
          const y = cy + t * dy;
          if (x < 0 || y < 0 || x > nx - 1 || y > ny - 1) break;
          const l = at(x, y);
          if (l === 2) run += 0.25;
          else if (run > 0) break;
        }
        best = Math.max(best, run * ed.spacing[0]);
      }
      return best;
    };
    expect(maxWall('HCM', 2)).toBeGreaterThan(15);
    expect(maxWall('NOR', 2)).toBeLessThan(13);
  });

  it('beats: ED at frame 0, ES about 35 % into the cycle, cavities shrink while myocardial volume stays within 12 %', () => {
    const p = cardiacPhantom({ group: 'NOR', frames: 20, seed: 3, image: false });
    expect(p.edFrame).toBe(0);
    expect(p.esFrame).toBe(7);
    const lv = Array.from({ length: 20 }, (_, t) => volumeMl(p.labels, t, 3));
    expect(Math.min(...lv)).toBe(lv[p.esFrame]);
    expect(Math.max(...lv)).toBe(lv[0]);
    const myoEd = volumeMl(p.labels, 0, 2);
    const myoEs = volumeMl(p.labels, p.esFrame, 2);
    expect(Math.abs(myoEs - myoEd) / myoEd).toBeLessThan(0.12);
  });

  it('has no RV in the most apical slice holding myocardium, and an RV in the mid slices', () => {
    const p = cardiacPhantom({ group: 'NOR', seed: 5, image: false });
    const ed = extractFrame(p.labels, 0);
    const [nx, ny, nz] = ed.shape;
    const has = (k: number, l: number) => ed.data.subarray(k * nx * ny, (k + 1) * nx * ny).includes(l);
    const apex = Math.max(...Array.from({ length: nz }, (_, k) => k).filter((k) => has(k, 2)));
    expect(has(apex, 1)).toBe(false);
    expect(has(Math.floor(apex / 2), 1)).toBe(true);
  });

  it('looks like bSSFP for every vendor: blood brighter than myocardium, myocardium darker than its surroundings', () => {
    for (const vendor of CARDIAC_VENDORS) {
      const p = cardiacPhantom({ group: 'NOR', vendor, frames: 2, seed: 9 });
      const image = extractFrame(p.image!, 0);
      const truth = extractFrame(p.labels, 0);
      const median = (label: number) => {
        const v: number[] = [];
        for (let i = 0; i < truth.data.length; i++) if (truth.data[i] === label) v.push(image.data[i]);
        return v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
      };
      const [rv, myo, lv, bg] = [median(1), median(2), median(3), median(0)];
      expect(lv, vendor).toBeGreaterThan(1.5 * myo);
      expect(rv, vendor).toBeGreaterThan(1.5 * myo);
      expect(bg, vendor).toBeGreaterThan(myo);
    }
  });

  it('gives vendors distinct pixel sizes and noise: vendor D noisier than A relative to the blood signal', () => {
    // Noise from the difference of two frames over voxels that are background in both (the surroundings do not
    // move, so the difference is noise alone, σ√2); the median absolute deviation ignores the few moving ones.
    const noise = (vendor: 'A' | 'D') => {
      const p = cardiacPhantom({ group: 'NOR', vendor, frames: 2, seed: 21 });
      const [f0, f1] = [extractFrame(p.image!, 0), extractFrame(p.image!, 1)];
      const [l0, l1] = [extractFrame(p.labels, 0), extractFrame(p.labels, 1)];
      const diffs: number[] = [];
      const blood: number[] = [];
      for (let i = 0; i < l0.data.length; i++) {
        if (l0.data[i] === 0 && l1.data[i] === 0) diffs.push(Math.abs(f1.data[i] - f0.data[i]));
        if (l0.data[i] === 3) blood.push(f0.data[i]);
      }
      const median = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
      return { sigma: (1.4826 * median(diffs)) / Math.SQRT2 / median(blood), pixel: p.image!.spacing[0] };
    };
    const a = noise('A');
    const d = noise('D');
    expect(d.sigma).toBeGreaterThan(1.5 * a.sigma);
    expect(d.pixel).toBeGreaterThan(a.pixel);
  });

  it('rejects a one-frame cycle with a message naming the option', () => {
    expect(() => cardiacPhantom({ group: 'NOR', frames: 1, seed: 1 })).toThrow(/frames must be an integer ≥ 2/);
  });
});
