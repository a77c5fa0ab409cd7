import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeNnunetTree, tempDir } from '../../test/dataset-trees.ts';
import { loadNnunet, nnunetLabels } from './nnunet.ts';

describe('loadNnunet', () => {
  it('reads a v2 raw dataset: labelsTr cases with truth, imagesTs cases for test', () => {
    const root = tempDir('nnunet2');
    makeNnunetTree(root, 2);
    const d = loadNnunet(root);
    expect(d.name).toBe('Dataset027_Tiny');
    expect(d.labels).toEqual({ '1': 'RV', '2': 'MYO', '3': 'LV' });
    expect(d.cases).toEqual([
      {
        id: 'heart_001',
        image: 'imagesTr/heart_001_0000.nii.gz',
        raters: {},
        truth: 'labelsTr/heart_001.nii.gz',
        meta: { split: 'train' },
      },
      {
        id: 'heart_002',
        image: 'imagesTr/heart_002_0000.nii.gz',
        raters: {},
        truth: 'labelsTr/heart_002.nii.gz',
        meta: { split: 'train' },
      },
      { id: 'heart_101', image: 'imagesTs/heart_101_0000.nii.gz', raters: {}, meta: { split: 'test' } },
    ]);
    expect(d.source).toMatchObject({ layout: 'nnunet', version: 2, fileEnding: '.nii.gz' });
  });

  it('reads a v1 task (modality, labels value → name) and lists every channel', () => {
    const root = tempDir('nnunet1');
    makeNnunetTree(root, 1, { channels: 2, test: [] });
    const d = loadNnunet(root);
    expect(d.labels).toEqual({ '1': 'RV', '2': 'MYO', '3': 'LV' });
    expect(d.cases[0].image).toBe('imagesTr/heart_001_0000.nii.gz');
    expect(d.cases[0].meta.channels).toEqual(['imagesTr/heart_001_0000.nii.gz', 'imagesTr/heart_001_0001.nii.gz']);
    expect(d.source).toMatchObject({ version: 1, channelNames: { '0': 'MRI', '1': 'ch1' } });
  });

  it('names the missing channel file', () => {
    const root = tempDir('nnunet-miss');
    makeNnunetTree(root, 2, { channels: 2, train: ['a'], test: [] });
    writeFileSync(
      join(root, 'dataset.json'),
      JSON.stringify({
        channel_names: { '0': 'T2', '1': 'ADC', '2': 'X' },
        labels: { background: 0, tumour: 1 },
        file_ending: '.nii.gz',
      }),
    );
    expect(() => loadNnunet(root)).toThrow(
      `${join(root, 'imagesTr', 'a_0002.nii.gz')}: no such file (channel of case a)`,
    );
  });

  it('lists every schema problem of dataset.json with its path', () => {
    const root = tempDir('nnunet-bad');
    makeNnunetTree(root, 2);
    writeFileSync(
      join(root, 'dataset.json'),
      JSON.stringify({ labels: { background: 0, x: 1.5 }, file_ending: 'nii.gz' }),
    );
    const file = join(root, 'dataset.json');
    expect(() => loadNnunet(root)).toThrow(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: 3 problem\\(s\\): `),
    );
    expect(() => loadNnunet(root)).toThrow(/labels\.x: /);
    expect(() => loadNnunet(root)).toThrow(/file_ending: /);
    expect(() => loadNnunet(root)).toThrow(/\(root\): needs "channel_names" \(nnU-Net v2\) or "modality" \(v1\)/);
  });
});

describe('nnunetLabels', () => {
  it('refuses region-based labels', () => {
    expect(() =>
      nnunetLabels({ channel_names: { '0': 'CT' }, labels: { background: 0, whole: [1, 2] } }, 'd.json'),
    ).toThrow('d.json: labels.whole is a region ([1,2]); region-based labels are not supported');
  });
});
