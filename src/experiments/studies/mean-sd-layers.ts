/**
 * The two Vega-Lite layers of a mean ± sd plot, as the study reports draw them: a line with points through each
 * datum's `mean`, and error bars from its `lo` to its `hi` (mean − sd, mean + sd).
 */

export interface MeanSdLayersOptions {
  /** The colour channel (one series per value); default none. */
  color?: Record<string, unknown>;
  /** The y scale of the line; default `{ zero: false }`. */
  scale?: Record<string, unknown>;
}

/** The line and error-bar layers over the channel `x`, the y axis titled `yTitle`. */
export function meanSdLayers(
  x: Record<string, unknown>,
  yTitle: string,
  options: MeanSdLayersOptions = {},
): Record<string, unknown>[] {
  const color = options.color === undefined ? {} : { color: options.color };
  return [
    {
      mark: { type: 'line', point: true },
      encoding: {
        x,
        y: { field: 'mean', type: 'quantitative', title: yTitle, scale: options.scale ?? { zero: false } },
        ...color,
      },
    },
    {
      mark: 'errorbar',
      encoding: { x, y: { field: 'lo', type: 'quantitative', title: yTitle }, y2: { field: 'hi' }, ...color },
    },
  ];
}
