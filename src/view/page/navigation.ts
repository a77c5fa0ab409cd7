/**
 * Slice and frame navigation: the slice slider follows the view's axis (axial: superior–inferior, coronal:
 * anterior–posterior, sagittal: left–right; multiplanar: axial), in niivue's RAS-ordered slice space so the count
 * is right for any voxel order; the frame slider sets the frame of every 4D volume.
 */
import { Niivue } from '@niivue/niivue';

export type ViewName = 'axial' | 'coronal' | 'sagittal' | 'multiplanar';

const SLICE_TYPES: Record<ViewName, number> = { axial: 0, coronal: 1, sagittal: 2, multiplanar: 3 };
const AXIS: Record<ViewName, number> = { axial: 2, coronal: 1, sagittal: 0, multiplanar: 2 };

/** Whether `s` names a view. */
export function isViewName(s: string | null): s is ViewName {
  return s !== null && s in SLICE_TYPES;
}

/** Drives the slice and frame sliders of one niivue instance. */
export class Navigation {
  view: ViewName = 'axial';

  constructor(
    private readonly nv: Niivue,
    private readonly slider: HTMLInputElement,
    private readonly sliceText: HTMLElement,
  ) {
    slider.addEventListener('input', () => this.setSlice(Number(slider.value)));
  }

  setView(view: ViewName): void {
    this.view = view;
    this.nv.setSliceType(SLICE_TYPES[view] as never);
    this.sync();
  }

  /** Slices along the current view's axis (0 before an image is loaded). */
  sliceCount(): number {
    return this.nv.back?.dimsRAS?.[AXIS[this.view] + 1] ?? 0;
  }

  /** The crosshair's slice along the current view's axis. */
  slice(): number {
    const n = this.sliceCount();
    return Math.min(n - 1, Math.max(0, Math.floor(this.nv.scene.crosshairPos[AXIS[this.view]] * n)));
  }

  /** Moves the crosshair to slice `k` (clamped) of the current axis. */
  setSlice(k: number): void {
    const n = this.sliceCount();
    if (n === 0) return;
    const clamped = Math.min(n - 1, Math.max(0, Math.round(k)));
    this.nv.scene.crosshairPos[AXIS[this.view]] = (clamped + 0.5) / n;
    this.nv.drawScene();
    this.nv.createOnLocationChange();
    this.sync();
  }

  step(delta: number): void {
    this.setSlice(this.slice() + delta);
  }

  /** Updates the slider from the crosshair (after clicks, loads and view changes). */
  sync(): void {
    const n = this.sliceCount();
    this.slider.max = String(Math.max(0, n - 1));
    this.slider.value = String(this.slice());
    this.sliceText.textContent = n ? `${this.slice() + 1}/${n}` : '';
  }
}

/** Sets frame `t` on every loaded 4D volume. */
export function setFrame(nv: Niivue, t: number): void {
  for (const v of nv.volumes) if ((v.nFrame4D ?? 1) > 1) nv.setFrame4D(v.id, Math.min(t, (v.nFrame4D ?? 1) - 1));
}
