export { LABEL_COLOURS, montage, sliceOverlay, type SliceOverlayOptions } from './slice-overlay.ts';
