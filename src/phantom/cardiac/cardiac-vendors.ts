/**
 * Scanner vendors A–D, the domain-shift axis of the M&Ms challenge (Campello et al., IEEE TMI 40(12), 2021: Siemens,
 * Philips, GE, Canon): each has its own pixel size, slice thickness, contrast curve, point-spread function, coil
 * bias and noise level, so that a model trained on A/B meets unfamiliar images on C/D.
 */
import type { Range } from './cardiac-groups.ts';

/** Simulated scanner vendor, named after M&Ms' vendor codes A–D; its acquisition is `VENDOR_PROFILES[vendor]`. */
export type CardiacVendor = 'A' | 'B' | 'C' | 'D';

/** The four vendors, A first. */
export const CARDIAC_VENDORS: readonly CardiacVendor[] = ['A', 'B', 'C', 'D'];

/** How one vendor acquires: pixel size, slice thickness, contrast curve, blur, bias, noise and stored scale. */
export interface VendorProfile {
  /** In-plane pixel size (mm). */
  pixelMm: number;
  /** Slice thickness = spacing, drawn per subject (mm). */
  sliceMm: Range;
  /** Contrast curve exponent applied to the tissue intensities (< 1 lifts the mid-greys, lowering blood–muscle contrast). */
  gamma: number;
  /** Gaussian point-spread function, standard deviation in pixels. */
  psfPx: number;
  /** Amplitude of the log bias field (multiplicative, smooth over ~10 cm). */
  bias: number;
  /** Rician noise standard deviation, as a fraction of the blood signal. */
  noise: number;
  /** Stored intensity of blood (arbitrary scanner units, int16). */
  scale: number;
}

/** Each vendor's acquisition, from A (finest pixels, least blur, bias and noise) to D (coarsest, noisiest). */
export const VENDOR_PROFILES: Readonly<Record<CardiacVendor, VendorProfile>> = {
  A: { pixelMm: 1.3, sliceMm: [8, 9], gamma: 1.1, psfPx: 0.5, bias: 0.12, noise: 0.025, scale: 1000 },
  B: { pixelMm: 1.45, sliceMm: [9, 10], gamma: 0.9, psfPx: 0.65, bias: 0.2, noise: 0.035, scale: 600 },
  C: { pixelMm: 1.6, sliceMm: [8, 10], gamma: 0.7, psfPx: 0.85, bias: 0.32, noise: 0.055, scale: 2400 },
  D: { pixelMm: 1.75, sliceMm: [10, 10], gamma: 0.55, psfPx: 1.05, bias: 0.42, noise: 0.075, scale: 250 },
};
