export {
  caseDice,
  ComputedLayerCache,
  meanDice,
  readCaseLabels,
  stapleForegroundPercent,
  type ComputedLayerCacheOptions,
} from './computed-layers.ts';
export { screenshotView, type ScreenshotViewOptions, type ScreenshotViewResult } from './screenshot-view.ts';
export {
  findLayer,
  viewCatalog,
  type RefusedFile,
  type ViewCase,
  type ViewCatalog,
  type ViewCatalogOptions,
  type ViewLayer,
} from './view-catalog.ts';
export type { CaseDice, CaseJson, CatalogJson, LayerJson, LayerKind, ModelJson, TableJson } from './viewer-api.ts';
export { startViewer, type ViewerOptions, type ViewerServer } from './viewer-server.ts';
