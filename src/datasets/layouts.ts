/** The registry of dataset layout importers, filled here explicitly (no registration by import side effect). */
import { MultiraterError } from '../errors.ts';
import { acdcLayout } from './acdc.ts';
import { foldersLayout } from './folders.ts';
import type { DatasetLayout, LayoutName } from './layout.ts';
import { mnmsLayout } from './mnms.ts';
import { nnunetLayout } from './nnunet.ts';
import { qubiqLayout } from './qubiq.ts';

/** Every layout importer by name. */
export const DATASET_LAYOUTS: ReadonlyMap<LayoutName, DatasetLayout> = new Map(
  [acdcLayout, mnmsLayout, qubiqLayout, nnunetLayout, foldersLayout].map((l) => [l.name, l]),
);

/** The importer called `name`; `invalid_argument` listing the known names otherwise. */
export function getLayout(name: string): DatasetLayout {
  const layout = DATASET_LAYOUTS.get(name as LayoutName);
  if (!layout)
    throw new MultiraterError(
      'unknown_name',
      `unknown dataset layout "${name}" (expected ${[...DATASET_LAYOUTS.keys()].join(', ')})`,
    );
  return layout;
}
