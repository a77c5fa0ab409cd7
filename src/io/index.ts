export { readNifti, parseNifti, type NiftiHeaderInfo, type NiftiImage } from './read-nifti.ts';
export { writeNifti, encodeNifti, type WriteNiftiOptions } from './write-nifti.ts';
export { affineToQuaternion, quaternionToAffine, affineSpacing, type QuaternionForm } from './nifti-affine.ts';
export { imageFormat, readLabelMap, readVolume, type ImageFormat, type ReadVolumeOptions } from './read-volume.ts';
export { describeImage, MAX_LISTED_LABELS, type ImageDescription, type ValueDistribution } from './describe-image.ts';
export { writeFileAtomic } from './atomic-write.ts';
export { readNrrd, parseNrrd, type NrrdImage, type ParseNrrdOptions } from './read-nrrd.ts';
export { parseNrrdHeader, type NrrdEncoding, type NrrdHeader } from './nrrd-header.ts';
export {
  assertFolderOutput,
  assertFolderOutsideInputs,
  assertNiftiOutput,
  assertOutputsDistinct,
  sameFile,
  type NamedPath,
} from './output-paths.ts';
export { ContainedRoots, type Containment } from './contained-path.ts';
export { sniffImage, type SniffedImage } from './sniff-image.ts';
export type { StoredDType } from './decode-voxels.ts';
export { filesUnder } from './output-paths.ts';
