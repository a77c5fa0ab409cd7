import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/dataset-trees.ts';
import { createVolume } from '../volume/volume.ts';
import { sniffImage } from './sniff-image.ts';
import { encodeNifti } from './write-nifti.ts';

const volume = createVolume(
  [40, 40, 40],
  new Float32Array(64_000).map((_, i) => Math.sin(i)),
);

describe('sniffImage', () => {
  const dir = tempDir('sniff');
  const file = (name: string, bytes: Uint8Array | string) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('knows NIfTI-1 and NIfTI-2, plain or gzip (a gzip member with a file name field too), from the first 64 KiB', () => {
    expect(sniffImage(file('a.nii', encodeNifti(volume)))).toEqual({ format: 'nifti1', gzip: false, dataFiles: null });
    expect(sniffImage(file('b.nii.gz', gzipSync(encodeNifti(volume, { version: 2 }))))).toEqual({
      format: 'nifti2',
      gzip: true,
      dataFiles: null,
    });
    // A member header with FNAME (flag 8), as `gzip file.nii` writes: the payload starts after the name.
    const named = Buffer.from(gzipSync(encodeNifti(volume)));
    const withName = Buffer.concat([
      named.subarray(0, 3),
      Buffer.from([named[3] | 8]),
      named.subarray(4, 10),
      Buffer.from('a.nii\0'),
      named.subarray(10),
    ]);
    expect(sniffImage(file('c.nii.gz', withName)).format).toBe('nifti1');
  });

  it('knows NRRD with attached and detached data', () => {
    expect(
      sniffImage(file('a.nrrd', 'NRRD0004\ntype: uint8\ndimension: 1\nsizes: 2\nencoding: raw\n\n\x01\x02')).dataFiles,
    ).toBeNull();
    expect(
      sniffImage(
        file('b.nrrd', 'NRRD0004\ntype: uint8\ndimension: 1\nsizes: 2\nencoding: raw\ndata file: /etc/shadow\n\n'),
      ).dataFiles,
    ).toEqual(['/etc/shadow']);
  });

  it('refuses text, a gzip of text, and a damaged gzip header in one line naming the file', () => {
    expect(() => sniffImage(file('passwd.nii', 'root:x:0:0:root:/root:/bin/bash\n'.repeat(30)))).toThrow(
      `${join(dir, 'passwd.nii')}: not a NIfTI or NRRD image`,
    );
    expect(() => sniffImage(file('text.nii.gz', gzipSync('hello\n'.repeat(100))))).toThrow(
      /text.nii.gz: not a NIfTI or NRRD image/,
    );
    expect(() => sniffImage(file('bad.nii.gz', Buffer.from([0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 0, 1])))).toThrow(
      /bad.nii.gz: gzip header is damaged/,
    );
    expect(() => sniffImage(dir)).toThrow(/is not a regular file/);
  });
});
