import { describe, expect, it } from 'vitest';
import type { ReportTable, SummaryCell } from '../../report/index.ts';
import { expertAdaptationFindings } from './expert-adaptation-findings.ts';

const c = (mean: number, sd: number | null = 0.3): SummaryCell => ({ mean, sd, n: 3 });
const ARMS = [
  { method: 'scratch', label: 'scratch, 550 it' },
  { method: 'scratch-converged', label: 'to convergence' },
];
const table = (id: string, rows: ReportTable['rows']): ReportTable => ({
  id,
  title: id,
  columns: [],
  rows,
  footnotes: [],
});

const tableTwo = (tunedAt5: number, p: number, scratchAt34: number) =>
  table('table2-finetune-seg06', [
    {
      n: 5,
      'multi:dice': c(tunedAt5),
      'scratch:dice': c(90),
      'scratch-converged:dice': c(90.5),
      'p:scratch': p,
      'p:scratch-converged': p,
    },
    {
      n: 34,
      'multi:dice': c(96),
      'scratch:dice': c(scratchAt34),
      'scratch-converged:dice': c(scratchAt34),
      'p:scratch': null,
      'p:scratch-converged': null,
    },
  ]);
const tableThree = (dice: number[], sd: number) =>
  table('table3-experts-seg06', [
    { k: 0, arm: 'scratch, 550 it', dice: c(90) },
    ...dice.map((d, i) => ({ k: i + 1, arm: 'fine-tuned', dice: c(d, sd) })),
  ]);

describe('expert-adaptation findings notes', () => {
  it('says finding 1 holds when fine-tuning is significantly better than both scratch arms', () => {
    const [one] = expertAdaptationFindings([tableTwo(93, 0.01, 95)], ['seg06'], ARMS);
    expect(one).toContain(
      'fine-tuned 93.00 % vs 90.00 % (scratch, 550 it, p = 0.010) and 90.50 % (to convergence, p = 0.010): holds.',
    );
  });

  it('gives the scratch learning curve as the reason when finding 1 does not show and the curve is flat', () => {
    const [one] = expertAdaptationFindings([tableTwo(90.2, 0.6, 90.4)], ['seg06'], ARMS);
    expect(one).toContain(
      'does not show here. Why: training from scratch gains only +0.40 points (scratch, 550 it, 90.00 % → 90.40 %)',
    );
    expect(one).toContain("at most 0.40 points here against the seed's gap of 3.20");
  });

  it('does not blame the curve when scratch still gains more than the seed gap', () => {
    const [one] = expertAdaptationFindings([tableTwo(90.2, 0.6, 95)], ['seg06'], ARMS);
    expect(one).toContain('although scratch training still gains +5.00 points');
  });

  it('says finding 2 does not show when the spread over k is within the sd over the ways, and shows when Dice rises', () => {
    const [flat] = expertAdaptationFindings([tableThree([95.9, 95.7, 95.8], 0.45)], ['seg06'], ARMS);
    expect(flat).toContain('spans 95.70 %–95.90 %');
    expect(flat).toContain('smaller than the sd over the ways (up to 0.45 points)');
    const [rising] = expertAdaptationFindings([tableThree([90, 92, 94], 0.3)], ['seg06'], ARMS);
    expect(rising).toContain('shows (Dice rises with k)');
  });

  it('leaves out the notes whose tables are missing', () => {
    expect(expertAdaptationFindings([], ['seg06'], ARMS)).toEqual([]);
  });
});
