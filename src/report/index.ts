export { encodePng, writePng, type RgbImage } from './write-png.ts';
export { LABEL_COLOUR_NAMES, LABEL_COLOURS, montage, sliceOverlay, type SliceOverlayOptions } from './slice-overlay.ts';
export type {
  ReportCell,
  ReportColumn,
  ReportFigure,
  ReportMachine,
  ReportProvenance,
  ReportTable,
  StudyReport,
  SummaryCell,
} from './report-types.ts';
export { columnHeader, formatCell, formatNumber, isSummaryCell } from './format-cell.ts';
export { tableToMarkdown } from './table-to-markdown.ts';
export { testsTable, type TestsTableOptions, type TestsTableRow } from './tests-table.ts';
export { csvField, tableToCsv } from './table-to-csv.ts';
export { provenanceLine, reportToMarkdown } from './report-markdown.ts';
export { readStudyReport, reportProvenanceSchema } from './read-study-report.ts';
export { escapeHtml, reportToHtml, tableToHtml } from './report-html.ts';
export { renderFigureSvg, type RenderFigureOptions } from './render-figure.ts';
export {
  boxPlotSpec,
  errorBarSpec,
  linePlotSpec,
  type AxisField,
  type BoxPlotOptions,
  type CategoryField,
  type ErrorBarOptions,
  type LinePlotOptions,
  type PlotOptions,
  type ValueField,
  type VegaLiteSpec,
} from './figure-specs.ts';
export {
  renderStudyReport,
  REPORT_SCHEMA_VERSION,
  type RenderedStudyReport,
  type RenderStudyReportOptions,
} from './render-study-report.ts';
export { slicePlane, type SliceAxis, type SlicePlaneOptions } from './slice-plane.ts';
export { defaultSlices, overlayFigure, type OverlayFigure, type OverlayFigureOptions } from './overlay-figure.ts';
export {
  writeOverlayFigure,
  type WriteOverlayFigureOptions,
  type WriteOverlayFigureResult,
} from './write-overlay-figure.ts';
