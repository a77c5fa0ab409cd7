/**
 * What niivue does on every re-blend of the background that a slice viewer does not need, removed through its
 * public `rgbaTex` method (niivue has no option for it). Measured on a 512×512×150 CT in headless Chromium's
 * SwiftShader (scripts/bench-view.ts): it was 14 of the 16 s before the image appeared.
 * - The 3D rendering's gradient texture: a blur and a Sobel pass render every slice of two RGBA textures of the
 *   volume's size, sampling the volume trilinearly at every voxel (12 s). The viewer draws slices, never volume
 *   rendering, the only reader of that texture; both textures are allocated 1×1 in-plane with the volume's depth,
 *   so each pass renders one fragment per slice, and every framebuffer niivue attaches stays complete.
 * - Zero uploads into new textures (2 s): WebGL already zero-fills new texture storage (WebGL 2, "texture storage
 *   initialization"), yet niivue's `isInit` also uploads a zero array of the texture's size (157 MB here).
 * niivue hands its gradient pass `this.rgbaTex`, so an instance wrapper reaches every caller.
 */
import type { Niivue } from '@niivue/niivue';

/** Call after attachToCanvas. */
export function tuneForSlices(nv: Niivue): void {
  const gl = nv.gl as WebGL2RenderingContext;
  const allocate = nv.rgbaTex.bind(nv);
  nv.rgbaTex = (texID, activeID, dims, isInit = false) => {
    // Unit 6 is the gradient texture alone; unit 8 is shared with the PAQD atlas texture, which niivue allocates
    // with `isInit` only as its 2×2×2 placeholder, while the gradient pass's scratch texture has the volume's size.
    const gradient = activeID === gl.TEXTURE6 || (activeID === gl.TEXTURE8 && isInit && dims[1] * dims[2] > 4);
    return allocate(texID, activeID, gradient ? [dims[0], 1, 1, dims[3]] : dims, false);
  };
}
