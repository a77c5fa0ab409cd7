/**
 * Region-level check of an audit on slice omissions: which of the slices a rater left out (the reference labels
 * something there, the rater nothing) the audit marks as missing. Per case and end (the first and last slices the
 * reference labels, e.g. basal and apical on the cardiac phantom), prints JSON: found by the model's suspicious
 * regions (regions/), by the departures from the other raters (departures/, when the audit had other raters), and
 * by either.
 * Usage: npx tsx scripts/audit-omitted-slices.ts <dataset> <audit-out> <reference-rater>
 * (the audited rater is read from <audit-out>/audit.json)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset, resolveCasePath } from '../src/datasets/dataset.ts';
import { readLabelMap } from '../src/io/read-volume.ts';
import { labelledSlices } from '../src/raters/slice-edits.ts';

const [data, auditOut, reference] = process.argv.slice(2);
if (!data || !auditOut || !reference)
  throw new Error('usage: audit-omitted-slices.ts <dataset> <audit-out> <reference-rater>');
const audit = JSON.parse(readFileSync(join(auditOut, 'audit.json'), 'utf8')) as {
  rater: string;
  reference?: string;
  cases: { caseId: string; rank: number; regionsFile: string; departuresFile?: string | null }[];
};
const { dataset, root } = loadDataset(data);
const byId = new Map(dataset.cases.map((c) => [c.id, c]));

/** Slices (third axis) holding any voxel of `which` (any non-zero label when absent), as a set. */
const slicesOf = (path: string, which?: number[]): Set<number> => {
  const v = readLabelMap(path, { maxDims: 3 });
  return new Set(labelledSlices(Uint8Array.from(v.data), v.shape, which));
};

const omitted: {
  caseId: string;
  slice: number;
  end: 'first' | 'last' | 'inner';
  found: boolean;
  byRaters: boolean;
  rank: number;
}[] = [];
let flaggedElsewhere = 0;
for (const a of audit.cases) {
  const c = byId.get(a.caseId)!;
  const missing = slicesOf(a.regionsFile, [1]);
  const departed = a.departuresFile ? slicesOf(a.departuresFile, [1]) : new Set<number>();
  const refSlices = [...slicesOf(resolveCasePath(root, c.raters[reference]))];
  const ratedSlices = slicesOf(resolveCasePath(root, c.raters[audit.rater]));
  const left = refSlices.filter((k) => !ratedSlices.has(k));
  for (const k of left)
    omitted.push({
      caseId: a.caseId,
      slice: k,
      end: k <= refSlices[1] ? 'first' : k >= refSlices[refSlices.length - 2] ? 'last' : 'inner',
      found: missing.has(k),
      byRaters: departed.has(k),
      rank: a.rank,
    });
  flaggedElsewhere += [...missing].filter((k) => !left.includes(k)).length;
}
const count = (end?: string) => {
  const of = omitted.filter((o) => end === undefined || o.end === end);
  return {
    omitted: of.length,
    found: of.filter((o) => o.found).length,
    foundByRaters: of.filter((o) => o.byRaters).length,
    foundByEither: of.filter((o) => o.found || o.byRaters).length,
  };
};
console.log(
  JSON.stringify(
    {
      rater: audit.rater,
      modelsLearnedFrom: audit.reference ?? audit.rater,
      cases: audit.cases.length,
      all: count(),
      first: count('first'),
      last: count('last'),
      slicesWithMissingRegionsNotOmitted: flaggedElsewhere,
      casesWithAnOmission: new Set(omitted.map((o) => o.caseId)).size,
    },
    null,
    2,
  ),
);
