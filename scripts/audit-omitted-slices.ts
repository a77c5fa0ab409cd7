/**
 * Region-level check of an audit on slice omissions: which of the slices a rater left out (the reference labels
 * something there, the rater nothing) the audit marks as missing. Per case and end (the first and last slices the
 * reference labels, e.g. basal and apical on the cardiac phantom), prints JSON.
 * Usage: npx tsx scripts/audit-omitted-slices.ts <dataset> <audit-out> <reference-rater>
 * (the audited rater is read from <audit-out>/audit.json)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset, resolveCasePath } from '../src/datasets/dataset.ts';
import { readLabelMap } from '../src/io/read-volume.ts';

const [data, auditOut, reference] = process.argv.slice(2);
if (!data || !auditOut || !reference) throw new Error('usage: audit-omitted-slices.ts <dataset> <audit-out> <reference-rater>');
const audit = JSON.parse(readFileSync(join(auditOut, 'audit.json'), 'utf8')) as { rater: string; reference?: string; cases: { caseId: string; rank: number; regionsFile: string }[] };
const { dataset, root } = loadDataset(data);
const byId = new Map(dataset.cases.map((c) => [c.id, c]));

/** Slices (last axis) holding any nonzero voxel. */
const labelledSlices = (v: { shape: readonly number[]; data: ArrayLike<number> }, code?: number): Set<number> => {
  const per = v.shape[0] * v.shape[1];
  const out = new Set<number>();
  for (let p = 0; p < v.data.length; p++) if (code === undefined ? v.data[p] !== 0 : v.data[p] === code) out.add(Math.floor(p / per));
  return out;
};

const omitted: { caseId: string; slice: number; end: 'first' | 'last' | 'inner'; found: boolean; rank: number }[] = [];
let flaggedElsewhere = 0;
for (const a of audit.cases) {
  const c = byId.get(a.caseId)!;
  const ref = readLabelMap(resolveCasePath(root, c.raters[reference]), { maxDims: 3 });
  const rated = readLabelMap(resolveCasePath(root, c.raters[audit.rater]), { maxDims: 3 });
  const missing = labelledSlices(readLabelMap(a.regionsFile, { maxDims: 3 }), 1);
  const refSlices = [...labelledSlices(ref)].sort((x, y) => x - y);
  const ratedSlices = labelledSlices(rated);
  const left = refSlices.filter((k) => !ratedSlices.has(k));
  for (const k of left) omitted.push({ caseId: a.caseId, slice: k, end: k <= refSlices[1] ? 'first' : k >= refSlices[refSlices.length - 2] ? 'last' : 'inner', found: missing.has(k), rank: a.rank });
  flaggedElsewhere += [...missing].filter((k) => !left.includes(k)).length;
}
const count = (end?: string) => {
  const of = omitted.filter((o) => end === undefined || o.end === end);
  return { omitted: of.length, found: of.filter((o) => o.found).length };
};
console.log(JSON.stringify({ rater: audit.rater, modelsLearnedFrom: audit.reference ?? audit.rater, cases: audit.cases.length, all: count(), first: count('first'), last: count('last'), slicesWithMissingRegionsNotOmitted: flaggedElsewhere, casesWithAnOmission: new Set(omitted.map((o) => o.caseId)).size }, null, 2));
