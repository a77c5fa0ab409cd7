/**
 * Benchmark of cardiac dataset simulation, printed as JSON: CPU milliseconds per subject (median over N subjects)
 * spent rendering the phantom, applying the three default raters to its ED and ES frames, and gzip-encoding its
 * files. Usage: npx tsx scripts/bench-simulate.ts [subjects=10]
 */
import { constants, gzipSync } from 'node:zlib';
import { encodeNifti } from '../src/io/write-nifti.ts';
import { CARDIAC_GROUPS } from '../src/phantom/cardiac/cardiac-groups.ts';
import { cardiacPhantom } from '../src/phantom/cardiac/cardiac-phantom.ts';
import { extractFrame } from '../src/volume/slice.ts';
import { CARDIAC_VENDORS } from '../src/phantom/cardiac/cardiac-vendors.ts';
import { applyRater } from '../src/raters/apply-rater.ts';
import { CARDIAC_RATERS } from '../src/raters/rater-models.ts';

const subjects = Number(process.argv[2] ?? 10);
const cpuMs = () => process.cpuUsage().user / 1000;
const phases = { phantom: [] as number[], raters: [] as number[], gzip: [] as number[] };
for (let s = 0; s < subjects; s++) {
  let t = cpuMs();
  const p = cardiacPhantom({ group: CARDIAC_GROUPS[s % 5], vendor: CARDIAC_VENDORS[s % 4], seed: s });
  phases.phantom.push(cpuMs() - t);
  t = cpuMs();
  const volumes = [p.image!, p.labels];
  for (const f of [p.edFrame, p.esFrame]) {
    const truth = extractFrame(p.labels, f);
    const image = extractFrame(p.image!, f);
    volumes.push(truth, image);
    for (const model of Object.values(CARDIAC_RATERS)) volumes.push(applyRater(truth, image, model, s));
  }
  phases.raters.push(cpuMs() - t);
  t = cpuMs();
  volumes.forEach((v) =>
    gzipSync(encodeNifti(v), { level: 1, strategy: v.dtype === 'uint8' ? constants.Z_RLE : constants.Z_HUFFMAN_ONLY }),
  );
  phases.gzip.push(cpuMs() - t);
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const perSubject = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(median(v))]));
const total = Object.values(perSubject).reduce((a, b) => a + b, 0);
process.stdout.write(
  JSON.stringify(
    {
      benchmark: 'simulate-cardiac',
      subjects,
      cpuMsPerSubjectMedian: perSubject,
      totalMsPerSubject: total,
      projected100SubjectsSeconds: Math.round(total / 10),
    },
    null,
    2,
  ) + '\n',
);
