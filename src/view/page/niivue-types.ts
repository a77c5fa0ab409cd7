/** niivue's types the page uses, in one place (the package exports some of them only under minified aliases). */
import type { Niivue } from '@niivue/niivue';

export type NVImage = Niivue['volumes'][number];
export type ColorMap = Parameters<NVImage['setColormapLabel']>[0];

/** What niivue passes to onLocationChange (NiiVueLocation in its sources). */
export interface ViewerLocation {
  mm: ArrayLike<number>;
  vox: ArrayLike<number>;
  frac: ArrayLike<number>;
  values: { id: string; name: string; value: number; vox: ArrayLike<number> }[];
}
