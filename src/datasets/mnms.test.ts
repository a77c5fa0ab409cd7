import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeMnmsTree, tempDir, type MnmsSubject } from '../../test/dataset-trees.ts';
import { loadMnms, parseMnmsCsv } from './mnms.ts';

const CSV = '211230_M&Ms_Dataset_information_diagnosis_opendataset.csv';
const subjects: MnmsSubject[] = [
  {
    code: 'A0S9V9',
    folder: 'Training/Labeled',
    vendor: 'A',
    vendorName: 'Siemens',
    centre: 1,
    ed: 0,
    es: 2,
    pathology: 'NOR',
  },
  {
    code: 'C1K8P1',
    folder: 'Training/Unlabeled',
    vendor: 'C',
    vendorName: 'GE',
    centre: 4,
    ed: 0,
    es: 0,
    pathology: 'HCM',
    gt: false,
  },
  { code: 'D3F3O5', folder: 'Validation', vendor: 'D', vendorName: 'Canon', centre: 5, ed: 3, es: 1, pathology: 'DCM' },
  { code: 'B0I2Z0', folder: 'Testing', vendor: 'B', vendorName: 'Philips', centre: 2, ed: 1, es: 3, pathology: 'HCM' },
];

describe('loadMnms', () => {
  const root = tempDir('mnms');
  makeMnmsTree(root, subjects);

  it('makes ED and ES cases of each labelled subject on its 4D files, with time indices from the CSV', () => {
    const d = loadMnms(root);
    expect(d.labels).toEqual({ '1': 'LV', '2': 'MYO', '3': 'RV' });
    // Training first, then Validation, then Testing; the unlabelled GE subject is left out and counted.
    expect(d.cases.map((c) => c.id)).toEqual([
      'A0S9V9_ED',
      'A0S9V9_ES',
      'D3F3O5_ED',
      'D3F3O5_ES',
      'B0I2Z0_ED',
      'B0I2Z0_ES',
    ]);
    expect(d.source).toEqual({ layout: 'mnms', infoCsv: CSV, unlabeled: 1 });
    const es = d.cases[1];
    expect(es.image).toBe('Training/Labeled/A0S9V9/A0S9V9_sa.nii.gz');
    expect(es.truth).toBe('Training/Labeled/A0S9V9/A0S9V9_sa_gt.nii.gz');
    // Row 0 of the fake CSV: age 40 + 0, M, 175.0, 80.5.
    expect(es.meta).toEqual({
      subject: 'A0S9V9',
      frame: 'ES',
      timeIndex: 2,
      split: 'train',
      vendor: 'A',
      vendorName: 'Siemens',
      centre: '1',
      group: 'NOR',
      sex: 'M',
      age: 40,
      height: 175,
      weight: 80.5,
    });
    expect(d.cases[2].meta).toMatchObject({ split: 'val', frame: 'ED', timeIndex: 3, vendor: 'D', centre: '5' });
    expect(d.cases[5].meta).toMatchObject({ split: 'test', frame: 'ES', timeIndex: 3, vendor: 'B', group: 'HCM' });
  });

  it('names the CSV when a subject folder has no row', () => {
    const root2 = tempDir('mnms-norow');
    makeMnmsTree(root2, subjects.slice(0, 1));
    writeFileSync(join(root2, CSV), ',External code,Vendor,Centre,ED,ES\n0,XXXXXX,A,1,0,2\n');
    expect(() => loadMnms(root2)).toThrow(`${join(root2, CSV)}: no row for subject A0S9V9`);
  });

  it('needs the information CSV', () => {
    const root3 = tempDir('mnms-nocsv');
    makeMnmsTree(root3, subjects.slice(0, 1));
    writeFileSync(join(root3, CSV), 'something else\n');
    expect(() => loadMnms(root3)).toThrow(/no M&Ms information CSV/);
  });
});

describe('parseMnmsCsv', () => {
  it('finds columns by name, whatever their order (the 2020 release has fewer)', () => {
    const rows = parseMnmsCsv('External code,Vendor,Centre,ED,ES\r\nA0S9V9,A,1,0,9\n', 'info.csv');
    expect(rows.get('A0S9V9')).toEqual({ code: 'A0S9V9', ed: 0, es: 9, fields: { Vendor: 'A', Centre: '1' } });
  });

  it('rejects a missing column or a bad time index, naming the file and row', () => {
    expect(() => parseMnmsCsv('External code,Vendor,ED\nA0S9V9,A,0\n', 'info.csv')).toThrow('info.csv: no "es" column');
    expect(() => parseMnmsCsv('External code,ED,ES\nA0S9V9,0,-1\n', 'info.csv')).toThrow(
      'info.csv: row 2 (A0S9V9): ES "-1" is not a time index ≥ 0',
    );
  });
});
