/**
 * Vega-Lite spec → SVG text in Node: `vega-lite` compiles the spec to Vega, a headless Vega `View` (renderer
 * 'none') renders it with `toSVG()`. No browser and no node-canvas: without canvas Vega estimates text widths from
 * character counts, which also keeps the bytes the same on every machine. Both packages load lazily (≈ 0.3 s).
 */
import type { TopLevelSpec } from 'vega-lite';
import { MultiraterError } from '../errors.ts';

/** Options of {@link renderFigureSvg}. */
export interface RenderFigureOptions {
  /**
   * Prefix of the SVG's element ids (clip paths, gradients). Vega numbers them from a process-wide counter, so they
   * are renumbered `<prefix>-1`, `<prefix>-2`, … in order: the same spec gives the same bytes, and several SVGs
   * inlined in one HTML page never share an id. Default 'fig'.
   */
  idPrefix?: string;
}

/** SVG text of a Vega-Lite `spec` whose data is inline (`data.values`). */
export async function renderFigureSvg(
  spec: Record<string, unknown>,
  options: RenderFigureOptions = {},
): Promise<string> {
  const name = options.idPrefix ?? 'fig';
  if (!isViewSpec(spec))
    throw new MultiraterError(
      'invalid_argument',
      `figure "${name}": the Vega-Lite spec has no ${VIEW_KEYS.join(', ')}`,
    );
  const [vegaLite, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  let svg: string;
  try {
    const compiled = vegaLite.compile(spec).spec;
    // Vega only warns when a load fails and draws the figure without its data: refuse such specs outright.
    const url = compiled.data?.find((d) => 'url' in d);
    if (url && 'url' in url)
      throw new Error(`data must be inline (data.values), the spec asks to load ${JSON.stringify(url.url)}`);
    const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: NO_LOADING });
    try {
      svg = await view.toSVG();
    } finally {
      view.finalize();
    }
  } catch (e) {
    throw new MultiraterError(
      'invalid_argument',
      `figure "${name}": Vega-Lite spec cannot be rendered (${(e as Error).message})`,
    );
  }
  return renumberIds(svg, name);
}

/** Nothing is ever loaded: a figure reads no file and no network, so its bytes depend on the spec alone. */
const refuseLoading = (uri: string): Promise<never> =>
  Promise.reject(new Error(`data must be inline (data.values), the spec asks to load ${uri}`));
const NO_LOADING = { load: refuseLoading, sanitize: refuseLoading, http: refuseLoading, file: refuseLoading };

/** Keys of which a top-level Vega-Lite spec has at least one. */
const VIEW_KEYS = ['mark', 'layer', 'facet', 'repeat', 'concat', 'hconcat', 'vconcat'];

/** True when `spec` has a view (mark, layer or composition); Vega-Lite checks the rest when compiling. */
function isViewSpec(spec: Record<string, unknown>): spec is Record<string, unknown> & TopLevelSpec {
  return VIEW_KEYS.some((k) => k in spec);
}

/** Renames every `id="…"` of `svg` (and its `url(#…)` / `href="#…"` references) to `<prefix>-<n>` in order. */
export function renumberIds(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!names.has(m[1])) names.set(m[1], `${prefix}-${names.size + 1}`);
  if (names.size === 0) return svg;
  const rename = (id: string): string => names.get(id) ?? id;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => a + rename(id) + b)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/(href=")#([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}#${rename(id)}${b}`);
}
