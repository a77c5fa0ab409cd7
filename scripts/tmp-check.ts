import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset, resolveCasePath } from '../src/datasets/dataset.ts';
import { readLabelMap } from '../src/io/read-volume.ts';
const [data, out] = process.argv.slice(2);
const audit = JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8'));
const { dataset, root } = loadDataset(data);
for (const a of audit.cases) {
  const c = dataset.cases.find((x) => x.id === a.caseId)!;
  const m = (r: string) => readLabelMap(resolveCasePath(root, c.raters[r]), { maxDims: 3 });
  const [e, n1, n2] = ['expert', 'nonexpert1', 'nonexpert2'].map(m);
  const dep = readLabelMap(a.departuresFile, { maxDims: 3 });
  const reg = readLabelMap(a.regionsFile, { maxDims: 3 });
  const [nx, ny, nz] = e.shape;
  for (let k = 0; k < nz; k++) {
    let ce = 0, c1 = 0, c2 = 0, cd = 0, cr = 0;
    for (let v = k * nx * ny; v < (k + 1) * nx * ny; v++) { ce += +(e.data[v] > 0); c1 += +(n1.data[v] > 0); c2 += +(n2.data[v] > 0); cd += +(dep.data[v] === 1); cr += +(reg.data[v] === 1); }
    if (ce > 0 && c1 === 0) console.log(a.caseId, 'slice', k, 'of', nz, 'expert', ce, 'ne2', c2, 'departure', cd, 'model', cr);
  }
}
