import { describe, expect, it } from 'vitest';
import { SYNTHETIC_KIND_MODULE } from '../../../test/synthetic-study.ts';
import { getJobKind, loadJobKindModules } from './builtins.ts';

const module = (source: string) => `data:text/javascript,${encodeURIComponent(source)}`;

describe('job kinds beyond the builtins', () => {
  it('are known only once their module is loaded', async () => {
    expect(() => getJobKind('synthetic')).toThrow(/^unknown job kind "synthetic" \(known: simulate, fuse, train, /);
    await loadJobKindModules([SYNTHETIC_KIND_MODULE]);
    expect(getJobKind('synthetic').kind).toBe('synthetic');
    expect(() => getJobKind('nope')).toThrow(/, synthetic\)$/);
  });

  it('refuse a module without a jobKinds array, and a builtin’s name', async () => {
    const empty = module('export const kinds = [];');
    await expect(loadJobKindModules([empty])).rejects.toThrow(`${empty}: exports no jobKinds array`);
    const clash = module('export const jobKinds = [{ kind: "train" }];');
    await expect(loadJobKindModules([clash])).rejects.toThrow(`${clash}: job kind "train" is a builtin`);
  });
});
