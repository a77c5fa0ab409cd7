import { describe, expect, it } from 'vitest';
import { MultiraterError } from '../errors.ts';
import { flagMessage, runWithFlags, withFlagNames } from './option-flags.ts';

describe('flagMessage', () => {
  it('names each option by its kebab-case flag', () => {
    expect(flagMessage('a.nii: options.outDir holds the input; options.foreground 2')).toBe(
      'a.nii: --out-dir holds the input; --foreground 2',
    );
  });

  it('spells options.NAME: false as the negated flag and options.NAME: true as the flag', () => {
    expect(flagMessage('3 problem(s) (options.check: false to import anyway); options.force: true replaces it')).toBe(
      '3 problem(s) (--no-check to import anyway); --force replaces it',
    );
  });

  it("uses the command's own flag where its name differs from the option's", () => {
    expect(flagMessage('learned registration needs options.modelDir', { modelDir: '--model' })).toBe(
      'learned registration needs --model',
    );
  });

  it('leaves other words alone: modelOptions.norm, a bare "options"', () => {
    expect(flagMessage('config.modelOptions.norm is cin; the options. End')).toBe(
      'config.modelOptions.norm is cin; the options. End',
    );
  });
});

describe('runWithFlags', () => {
  it("rethrows a MultiraterError with the command's flags and its code, anything else unchanged", async () => {
    await expect(
      runWithFlags({ out: '--cm-out' }, async () => {
        throw new MultiraterError('output_conflict', 'x: options.out holds the input');
      }),
    ).rejects.toMatchObject({ code: 'output_conflict', message: 'x: --cm-out holds the input' });
    const plain = new Error('options.out');
    expect(withFlagNames(plain)).toBe(plain);
  });
});
