import { describe, expect, it } from 'vitest';
import { formatDuration, progressReporter, type ProgressStream } from './progress.ts';
import type { TrainConfig } from './train-config.ts';
import type { TrainEvent } from './trainer.ts';

/** A terminal-like or pipe-like stream that records what is written. */
function recorder(isTTY: boolean): { stream: ProgressStream; text: () => string } {
  let text = '';
  const stream: ProgressStream = { isTTY, write: (s: string) => (text += s) };
  return { stream, text: () => text };
}

const config = { model: 'unet2d', iterations: 2, batchSize: 4, loss: 'ce+dice' } as TrainConfig;
const events: TrainEvent[] = [
  { type: 'start', config, startIteration: 0, trainCases: 3, valCases: 1 },
  { type: 'step', iteration: 0, loss: 1.5, lr: 0.01, elapsedSeconds: 1, etaSeconds: 65 },
  { type: 'step', iteration: 1, loss: 0.5, lr: 0.01, elapsedSeconds: 2, etaSeconds: 0 },
  {
    type: 'validation',
    record: { iteration: 2, loss: 0.75, dice: { '1': 0.5, '2': null }, meanDice: 0.5 },
    improved: true,
  },
  { type: 'checkpoint', iteration: 2 },
];

describe('progress', () => {
  it('draws a bar with iteration, iterations per second, mean loss and ETA on a terminal, ending the line after the last step', () => {
    const r = recorder(true);
    const report = progressReporter({ stream: r.stream });
    events.forEach(report);
    expect(r.text()).toContain('[############............] 1/2 – it/s loss 1.5000 ETA 1m05s');
    // One step between the two stamps (1 s and 2 s elapsed): 1 iteration per second.
    expect(r.text()).toContain('2/2 1.00 it/s loss 1.0000 ETA 0s\n');
    expect(r.text()).toContain('validation at 2: loss 0.7500, Dice 1:0.500 2:– (best so far)\n');
  });

  it('writes whole lines only (no bar, no carriage returns) when not a terminal', () => {
    const r = recorder(false);
    events.forEach(progressReporter({ stream: r.stream, label: 'expert' }));
    expect(r.text()).not.toContain('\r');
    expect(r.text().trim().split('\n')).toEqual([
      'expert: training unet2d on 3 cases (1 for validation), 2 iterations of 4, loss ce+dice',
      'expert: iteration 1/2 – it/s loss 1.5000 ETA 1m05s',
      'expert: validation at 2: loss 0.7500, Dice 1:0.500 2:– (best so far)',
      'expert: checkpoint at iteration 2',
    ]);
  });

  it('is never silent between validations when not a terminal: a line every lineEvery iterations', () => {
    const r = recorder(false);
    const long = { ...config, iterations: 6 } as TrainConfig;
    const steps: TrainEvent[] = [0, 1, 2, 3, 4, 5].map((i) => ({
      type: 'step',
      iteration: i,
      loss: 1,
      lr: 0.01,
      elapsedSeconds: 0.5 * (i + 1),
      etaSeconds: 0.5 * (5 - i),
    }));
    [{ ...events[0], config: long } as TrainEvent, ...steps].forEach(
      progressReporter({ stream: r.stream, lineEvery: 2 }),
    );
    expect(r.text().trim().split('\n').slice(1)).toEqual([
      'iteration 2/6 2.00 it/s loss 1.0000 ETA 2s',
      'iteration 4/6 2.00 it/s loss 1.0000 ETA 1s',
    ]);
  });

  it('formats durations in seconds and minutes', () => {
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(125)).toBe('2m05s');
  });
});
