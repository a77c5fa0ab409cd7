import { copyFileSync, mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewTestDataset, type ViewTestDataset } from '../../test/view-dataset.ts';
import { loadDataset, resolveCasePath } from '../datasets/dataset.ts';
import { viewCatalog } from './view-catalog.ts';

let fx: ViewTestDataset;
let audit: string;

beforeAll(async () => {
  fx = await viewTestDataset();
  // An audit folder as `multirater audit` writes it: regions for both cases, departures for the first only.
  audit = join(fx.work, 'audit-nonexpert1');
  mkdirSync(join(audit, 'regions'), { recursive: true });
  mkdirSync(join(audit, 'departures'));
  const { dataset, root } = loadDataset(fx.data);
  for (const c of dataset.cases)
    copyFileSync(resolveCasePath(root, c.raters.nonexpert1), join(audit, 'regions', `${c.id}.nii.gz`));
  copyFileSync(
    resolveCasePath(root, dataset.cases[0].raters.nonexpert1),
    join(audit, 'departures', `${dataset.cases[0].id}.nii.gz`),
  );
});
afterAll(() => fx?.remove());

describe('view catalogue with audit folders', () => {
  it("lists each case's suspicious regions and departures as audit layers under the folder's name, only where the file exists", () => {
    const catalog = viewCatalog({ data: fx.data, audits: [audit] });
    const layers = catalog.cases.map((c) =>
      c.layers.filter((l) => l.kind === 'audit').map((l) => [l.key, l.name, l.url, l.file]),
    );
    expect(layers[0]).toEqual([
      [
        'audit-0-regions',
        'audit-nonexpert1 regions',
        '/data/0/audit-0-regions.nii',
        realpathSync(join(audit, 'regions', `${fx.caseIds[0]}.nii.gz`)),
      ],
      [
        'audit-0-departures',
        'audit-nonexpert1 departures',
        '/data/0/audit-0-departures.nii',
        realpathSync(join(audit, 'departures', `${fx.caseIds[0]}.nii.gz`)),
      ],
    ]);
    expect(layers[1].map((l) => l[0])).toEqual(['audit-0-regions']);
    // Not shown by default: the first rater and the disagreement map are.
    expect(catalog.cases[0].shown).not.toContain('audit-0-regions');
  });

  it('refuses a folder that holds neither regions/ nor departures/, naming it', () => {
    expect(() => viewCatalog({ data: fx.data, audits: [fx.pred] })).toThrow(
      `${fx.pred}: not a multirater audit folder (no regions/ or departures/)`,
    );
  });
});
