import { describe, expect, it } from 'vitest';
import { chooseTrainer } from './choose-trainer.ts';

describe('chooseTrainer', () => {
  it('sends one label source to train, several raters with a plain network to multi-expert train', () => {
    expect(chooseTrainer({ model: 'annotator-cm', loss: 'ce' })).toBe('one-rater');
    expect(
      chooseTrainer({ raters: ['a', 'b'], model: 'unet2d', loss: 'dice', earlyStoppingPatience: 3, caseIds: ['c1'] }),
    ).toBe('multi-expert');
  });

  it('sends several raters to the annotator trainer for an annotator-CM model, mean labels or an annotator-only option', () => {
    expect(chooseTrainer({ raters: ['a', 'b'], model: 'annotator-cm3d' })).toBe('annotators');
    expect(chooseTrainer({ raters: ['a', 'b'], method: 'mean-labels' })).toBe('annotators');
    expect(chooseTrainer({ raters: ['a', 'b'], cm: 'global' })).toBe('annotators');
    expect(chooseTrainer({ raters: ['a', 'b'], oracle: false })).toBe('multi-expert');
  });

  it('refuses in one line the options the annotator trainer does not take', () => {
    expect(() =>
      chooseTrainer({ raters: ['a', 'b'], model: 'annotator-cm', loss: 'ce', earlyStoppingPatience: 2 }),
    ).toThrow(
      expect.objectContaining({
        code: 'option_conflict',
        message:
          'train: the annotator methods take no options.loss, options.earlyStoppingPatience; one-rater and multi-expert training do',
      }),
    );
  });
});
