/**
 * Vega-Lite specs for the study figures, data inline so a spec renders anywhere (`renderFigureSvg` in Node, or any
 * Vega-Lite viewer): box plots per group, mean ± sd error bars per group, and x–y line plots with series and an
 * optional band. Axis titles carry their unit (`HD95 (mm)`); series are told apart by colour.
 */

/** A data field drawn on an axis. */
export interface AxisField {
  /** Name of the field in each data row. */
  field: string;
  /** Axis (or legend) title; default the field name. */
  title?: string;
  /** Unit, appended to the title in parentheses: `HD95 (mm)`. */
  unit?: string;
}

/** A categorical axis or series. */
export interface CategoryField extends AxisField {
  /** Order of the categories (`['base', 'mid', 'apex']`); default sorted. */
  order?: string[];
}

/** A quantitative axis. */
export interface ValueField extends AxisField {
  /** Axis range [low, high] in the field's unit; default from the data (starting at 0 only if `zero`). */
  domain?: [number, number];
  /** Include 0 in the default range; default false. */
  zero?: boolean;
}

/** Size and title shared by every plot. */
export interface PlotOptions {
  /** One row per plotted value, e.g. `{ group: 'DCM', rater: 'expert', dice: 0.91 }`. */
  data: Record<string, unknown>[];
  /** Title above the plot; default none (the report shows the figure's title). */
  title?: string;
  /** Plot area width, pixels; default 320. */
  width?: number;
  /** Plot area height, pixels; default 220. */
  height?: number;
}

/** What `boxPlotSpec` draws: one box (Tukey whiskers, 1.5 × IQR) per group, optionally per series. */
export interface BoxPlotOptions extends PlotOptions {
  /** Groups along x. */
  group: CategoryField;
  /** Values along y (one data row per value). */
  value: ValueField;
  /** Side-by-side boxes within each group, by colour. */
  series?: CategoryField;
}

/** What `errorBarSpec` draws: each group's mean ± sd, from the rows or precomputed, optionally per series. */
export interface ErrorBarOptions extends PlotOptions {
  /** Groups along x. */
  group: CategoryField;
  /**
   * Values along y. Without `sd`, the rows are single values and each group's mean ± sample sd (n − 1) is computed;
   * with `sd`, each row already holds a group's mean in this field.
   */
  value: ValueField;
  /** Field holding each row's standard deviation when the means are precomputed. */
  sd?: string;
  /** Side-by-side bars within each group, by colour. */
  series?: CategoryField;
}

/** What `linePlotSpec` draws: y against x, one line per series, with an optional band. */
export interface LinePlotOptions extends PlotOptions {
  /** x axis: quantitative by default, or 'ordinal' for ordered categories (slice position base/mid/apex). */
  x: ValueField &
    CategoryField & {
      /** Vega-Lite's field type of the x axis; default 'quantitative'. */
      type?: 'quantitative' | 'ordinal';
    };
  /** y axis: a quantitative field. */
  y: ValueField;
  /** One line per value of this field, by colour. */
  series?: CategoryField;
  /** A shaded band around each line: y ± the `sd` field, or from `lower` to `upper`. */
  band?:
    | {
        /** Field holding the standard deviation drawn on each side of the line. */
        sd: string;
      }
    | {
        /** Field holding the band's lower edge. */
        lower: string;
        /** Field holding the band's upper edge. */
        upper: string;
      };
  /** Draw a point at each value; default true. */
  points?: boolean;
}

/** A Vega-Lite spec as a plain JSON object (what `renderFigureSvg` renders and `ReportFigure.spec` holds). */
export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function titleOf(f: AxisField): string {
  const title = f.title ?? f.field;
  return f.unit ? `${title} (${f.unit})` : title;
}

function category(f: CategoryField, type: 'nominal' | 'ordinal' = 'nominal'): VegaLiteSpec {
  return { field: f.field, type, title: titleOf(f), ...(f.order ? { sort: f.order } : {}) };
}

/** A category on the x axis: labels upright (category names are short). */
function categoryX(f: CategoryField, type: 'nominal' | 'ordinal' = 'nominal'): VegaLiteSpec {
  return { ...category(f, type), axis: { labelAngle: 0 } };
}

function quantity(f: ValueField, field = f.field): VegaLiteSpec {
  return {
    field,
    type: 'quantitative',
    title: titleOf(f),
    scale: { zero: f.zero ?? false, ...(f.domain ? { domain: f.domain } : {}) },
  };
}

function frame(o: PlotOptions): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    ...(o.title ? { title: o.title } : {}),
    width: o.width ?? 320,
    height: o.height ?? 220,
    data: { values: o.data },
    config: {
      view: { stroke: '#ddd' },
      axis: { labelFontSize: 11, titleFontSize: 12 },
      legend: { labelFontSize: 11, titleFontSize: 12, symbolOpacity: 1 },
    },
  };
}

function seriesChannels(series: CategoryField | undefined): VegaLiteSpec {
  return series ? { color: category(series), xOffset: category(series) } : {};
}

/** Box plot of `value` per `group` (Tukey whiskers: 1.5 × IQR; points beyond are drawn), optionally per `series`. */
export function boxPlotSpec(o: BoxPlotOptions): VegaLiteSpec {
  return {
    ...frame(o),
    mark: { type: 'boxplot', extent: 1.5, size: 14 },
    encoding: { x: categoryX(o.group), y: quantity(o.value), ...seriesChannels(o.series) },
  };
}

/** Mean (point) ± sd (rule) of `value` per `group`, optionally per `series`; see `ErrorBarOptions.value`. */
export function errorBarSpec(o: ErrorBarOptions): VegaLiteSpec {
  const groupBy = [o.group.field, ...(o.series ? [o.series.field] : [])];
  const stats = o.sd
    ? [
        { calculate: `datum[${JSON.stringify(o.value.field)}]`, as: '__mean' },
        { calculate: `datum[${JSON.stringify(o.sd)}]`, as: '__sd' },
      ]
    : [
        {
          aggregate: [
            { op: 'mean', field: o.value.field, as: '__mean' },
            { op: 'stdev', field: o.value.field, as: '__sd' },
          ],
          groupby: groupBy,
        },
      ];
  const encoding = { x: categoryX(o.group), ...seriesChannels(o.series) };
  return {
    ...frame(o),
    transform: [
      ...stats,
      { calculate: 'datum.__mean - (datum.__sd || 0)', as: '__low' },
      { calculate: 'datum.__mean + (datum.__sd || 0)', as: '__high' },
    ],
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: { ...encoding, y: quantity(o.value, '__low'), y2: { field: '__high' } },
      },
      { mark: { type: 'point', filled: true, size: 40 }, encoding: { ...encoding, y: quantity(o.value, '__mean') } },
    ],
  };
}

/** `y` against `x`, one line per `series`, with an optional band (± sd or lower–upper). */
export function linePlotSpec(o: LinePlotOptions): VegaLiteSpec {
  const x = o.x.type === 'ordinal' ? categoryX(o.x, 'ordinal') : quantity(o.x);
  const colour = o.series ? { color: category(o.series) } : {};
  const layers: VegaLiteSpec[] = [];
  if (o.band) {
    const [low, high] = 'sd' in o.band ? ['__low', '__high'] : [o.band.lower, o.band.upper];
    const transform =
      'sd' in o.band
        ? [
            { calculate: `datum[${JSON.stringify(o.y.field)}] - datum[${JSON.stringify(o.band.sd)}]`, as: '__low' },
            { calculate: `datum[${JSON.stringify(o.y.field)}] + datum[${JSON.stringify(o.band.sd)}]`, as: '__high' },
          ]
        : [];
    layers.push({
      transform,
      mark: { type: 'area', opacity: 0.2 },
      encoding: { x, y: quantity(o.y, low), y2: { field: high }, ...colour },
    });
  }
  layers.push({ mark: { type: 'line', point: o.points ?? true }, encoding: { x, y: quantity(o.y), ...colour } });
  return { ...frame(o), layer: layers };
}
