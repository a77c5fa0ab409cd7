/**
 * Where NIfTI-1 (nifti1.h, a 348-byte header) and NIfTI-2 (nifti2.h, 540 bytes) keep the header fields multirater
 * writes: one row per field with both versions side by side, byte offsets from the start of the file.
 */

/** How one element of a header field is stored: a byte, a little-endian integer or an IEEE float. */
export type NiftiFieldKind = 'u8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64';

/** Bytes per element of each {@link NiftiFieldKind}. */
export const NIFTI_FIELD_BYTES: Readonly<Record<NiftiFieldKind, number>> = {
  u8: 1,
  i16: 2,
  i32: 4,
  i64: 8,
  f32: 4,
  f64: 8,
};

/** One numeric header field of one NIfTI version: where it starts, how each element is stored, how many there are. */
export interface NiftiField {
  /** Byte offset of the first element. */
  offset: number;
  /** How each element is stored. */
  kind: NiftiFieldKind;
  /** Elements, consecutive. */
  count: number;
}

/** The numeric header fields, named as in nifti1.h; `quatern` is quatern_b … qoffset_z, `srow` srow_x … srow_z. */
export type NiftiFieldName =
  | 'sizeof_hdr'
  | 'datatype'
  | 'bitpix'
  | 'dim'
  | 'pixdim'
  | 'vox_offset'
  | 'scl_slope'
  | 'scl_inter'
  | 'xyzt_units'
  | 'qform_code'
  | 'sform_code'
  | 'quatern'
  | 'srow';

/** One NIfTI version's header: its size, its magic, where the description goes and its numeric fields. */
export interface NiftiHeaderLayout {
  /** Header bytes (sizeof_hdr's value). */
  size: number;
  /** The magic string and its offset. */
  magic: { offset: number; text: string };
  /** Offset of descrip (80 bytes of text). */
  descrip: number;
  /** The numeric fields. */
  fields: Readonly<Record<NiftiFieldName, NiftiField>>;
}

type Place = readonly [offset: number, kind: NiftiFieldKind];

/** Per field: its place in NIfTI-1, its place in NIfTI-2, and its element count. */
const FIELDS: Readonly<Record<NiftiFieldName, readonly [nifti1: Place, nifti2: Place, count: number]>> = {
  sizeof_hdr: [[0, 'i32'], [0, 'i32'], 1],
  datatype: [[70, 'i16'], [12, 'i16'], 1],
  bitpix: [[72, 'i16'], [14, 'i16'], 1],
  dim: [[40, 'i16'], [16, 'i64'], 8],
  pixdim: [[76, 'f32'], [104, 'f64'], 8],
  vox_offset: [[108, 'f32'], [168, 'i64'], 1],
  scl_slope: [[112, 'f32'], [176, 'f64'], 1],
  scl_inter: [[116, 'f32'], [184, 'f64'], 1],
  xyzt_units: [[123, 'u8'], [500, 'i32'], 1],
  qform_code: [[252, 'i16'], [344, 'i32'], 1],
  sform_code: [[254, 'i16'], [348, 'i32'], 1],
  quatern: [[256, 'f32'], [352, 'f64'], 6],
  srow: [[280, 'f32'], [400, 'f64'], 12],
};

const fieldsOf = (version: 1 | 2): Record<NiftiFieldName, NiftiField> =>
  Object.fromEntries(
    Object.entries(FIELDS).map(([name, [nifti1, nifti2, count]]) => {
      const [offset, kind] = version === 1 ? nifti1 : nifti2;
      return [name, { offset, kind, count }];
    }),
  ) as Record<NiftiFieldName, NiftiField>;

/** The header layout of each NIfTI version. */
export const NIFTI_HEADER_LAYOUT: Readonly<Record<1 | 2, NiftiHeaderLayout>> = {
  1: { size: 348, magic: { offset: 344, text: 'n+1\0' }, descrip: 148, fields: fieldsOf(1) },
  2: { size: 540, magic: { offset: 4, text: 'n+2\0\r\n\x1a\n' }, descrip: 240, fields: fieldsOf(2) },
};
