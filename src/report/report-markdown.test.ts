import { describe, expect, it } from 'vitest';
import { SAMPLE_PROVENANCE, SAMPLE_REPORT } from '../../test/study-report-sample.ts';
import { provenanceLine } from './report-markdown.ts';

describe('provenanceLine', () => {
  it('names the command, short commit, minute in UTC, machine, workers × threads and job time per kind', () => {
    expect(provenanceLine({ ...SAMPLE_PROVENANCE, commit: { sha: 'abcdef0123', dirty: true } }, SAMPLE_REPORT)).toBe(
      '`multirater study run sample --preset smoke --out runs/sample` on commit abcdef0 (tracked files changed), 2026-12-07 08:43 UTC, 2 cores (AMD EPYC), 23.5 GiB, linux-x64, Node v20.20.2; 1 worker × 2 threads; job time 64.8 s (evaluate 3.5, train 61.3).',
    );
  });

  it("gives the last run's wall time in minutes and seconds", () => {
    expect(provenanceLine({ ...SAMPLE_PROVENANCE, wallSeconds: 1086.6 }, SAMPLE_REPORT)).toContain(
      '; 1 worker × 2 threads; wall 18 min 07 s; job time 64.8 s',
    );
  });

  it('says what it does not know: no checkout, no command, queue workers with the default threads', () => {
    const base = { ...SAMPLE_PROVENANCE, commit: null, command: null };
    expect(provenanceLine({ ...base, workers: null, threads: null })).toBe(
      'Measured outside a git checkout, 2026-12-07 08:43 UTC, 2 cores (AMD EPYC), 23.5 GiB, linux-x64, Node v20.20.2.',
    );
    expect(provenanceLine({ ...base, workers: null, threads: 1 })).toContain('; queue workers × 1 thread.');
    expect(provenanceLine({ ...base, workers: 2, threads: null })).toContain(
      "; 2 workers × ONNX Runtime's default threads.",
    );
  });
});
