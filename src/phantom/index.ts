export {
  CARDIAC_GROUPS,
  CARDIAC_GROUP_SPECS,
  type CardiacGroup,
  type CardiacGroupSpec,
  type Range,
} from './cardiac/cardiac-groups.ts';
export { contraction, endSystolicFrame, sampleCardiacAnatomy, type CardiacAnatomy } from './cardiac/cardiac-anatomy.ts';
export { CARDIAC_VENDORS, VENDOR_PROFILES, type CardiacVendor, type VendorProfile } from './cardiac/cardiac-vendors.ts';
export { cardiacPhantom, type CardiacPhantom, type CardiacPhantomOptions } from './cardiac/cardiac-phantom.ts';
export { TISSUE, TISSUE_INTENSITY, TISSUE_LABEL } from './cardiac/cardiac-scene.ts';
export {
  MNIST_SIZE,
  MNIST_TRUTH_THRESHOLD,
  mnistDigit,
  mnistDigitCount,
  mnistDigits,
  type MnistDigit,
  type MnistDigitsOptions,
} from './mnist/mnist-digits.ts';
export {
  HEADNECK_SEED_GEOMETRY,
  headneckPhantom,
  type HeadneckPhantom,
  type HeadneckPhantomOptions,
} from './headneck/headneck-phantom.ts';
export { sampleMandibleAnatomy, type MandibleAnatomy } from './headneck/mandible-anatomy.ts';
export { smoothRandomField, type SmoothRandomFieldOptions } from './smooth-random-field.ts';
export { gaussianBlurSlices } from './gaussian-blur.ts';
export {
  braingrowthPhantom,
  sampleBrainAnatomy,
  type BraingrowthPhantom,
  type BraingrowthPhantomOptions,
  type BrainAnatomy,
  type Sulcus,
} from './brain/braingrowth-phantom.ts';
