import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeAcdcTree, tempDir } from '../../test/dataset-trees.ts';
import { isMultiraterError } from '../errors.ts';
import { loadAcdc, parseInfoCfg } from './acdc.ts';

describe('loadAcdc', () => {
  const root = tempDir('acdc');
  makeAcdcTree(root, [
    { id: 'patient001', folder: 'training', ed: 1, es: 12, group: 'DCM' },
    { id: 'patient002', folder: 'training', ed: 1, es: 10, group: 'NOR' },
    { id: 'patient101', folder: 'testing', ed: 14, es: 5, gt: false },
  ]);

  it('makes one case per patient and phase, with the frame files, truth and split', () => {
    const d = loadAcdc(root);
    expect(d.name).toBe('ACDC');
    expect(d.labels).toEqual({ '1': 'RV', '2': 'MYO', '3': 'LV' });
    expect(d.raters).toEqual([]);
    expect(d.cases.map((c) => c.id)).toEqual([
      'patient001_ED',
      'patient001_ES',
      'patient002_ED',
      'patient002_ES',
      'patient101_ED',
      'patient101_ES',
    ]);
    const es = d.cases[1];
    expect(es.image).toBe('training/patient001/patient001_frame12.nii.gz');
    expect(es.truth).toBe('training/patient001/patient001_frame12_gt.nii.gz');
    // Info.cfg: ES 12 → 0-based time index 11 of the 4D series; NbFrame written as es + 2 = 14.
    expect(es.meta).toEqual({
      subject: 'patient001',
      split: 'train',
      group: 'DCM',
      height: 184,
      weight: 95,
      nbFrames: 14,
      cine: 'training/patient001/patient001_4d.nii.gz',
      frame: 'ES',
      timeIndex: 11,
    });
  });

  it('leaves truth out where the release has no _gt file and group out where Info.cfg has none', () => {
    const ed = loadAcdc(root).cases.find((c) => c.id === 'patient101_ED')!;
    expect(ed.image).toBe('testing/patient101/patient101_frame14.nii.gz');
    expect(ed.truth).toBeUndefined();
    expect(ed.meta.split).toBe('test');
    expect(ed.meta.group).toBeUndefined();
  });

  it('reads a training folder given directly, split from its name', () => {
    const d = loadAcdc(join(root, 'training'));
    expect(d.cases).toHaveLength(4);
    expect(d.cases[0].image).toBe('patient001/patient001_frame01.nii.gz');
    expect(d.cases.every((c) => c.meta.split === 'train')).toBe(true);
  });

  it('names Info.cfg when a frame file is missing or ED is not a frame number', () => {
    const bad = tempDir('acdc-bad');
    makeAcdcTree(bad, [{ id: 'patient003', folder: 'training', ed: 1, es: 4 }]);
    const cfg = join(bad, 'training', 'patient003', 'Info.cfg');
    writeFileSync(cfg, 'ED: 2\nES: 4\n');
    expect(() => loadAcdc(bad)).toThrow(/patient003_frame02\.nii\.gz: no such file \(ED frame of .*Info\.cfg\)/);
    writeFileSync(cfg, 'ED: zero\nES: 4\n');
    expect(() => loadAcdc(bad)).toThrow(/Info\.cfg: ED should be a frame number ≥ 1, found zero/);
  });

  it('refuses a folder without patients', () => {
    const empty = tempDir('acdc-empty');
    try {
      loadAcdc(empty);
      expect.unreachable();
    } catch (e) {
      expect(isMultiraterError(e, 'invalid_dataset')).toBe(true);
    }
  });
});

describe('parseInfoCfg', () => {
  it('reads Key: value lines and rejects others naming the file', () => {
    expect(parseInfoCfg('ED: 1\r\nES: 12\nGroup: DCM\n\n', 'x/Info.cfg')).toEqual({ ED: '1', ES: '12', Group: 'DCM' });
    expect(() => parseInfoCfg('ED 1', 'x/Info.cfg')).toThrow('x/Info.cfg: line "ED 1" is not "Key: value"');
  });
});
