import { request } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewTestDataset, type ViewTestDataset } from '../../test/view-dataset.ts';
import { parseNifti } from '../io/read-nifti.ts';
import { readAnnotatorCms } from '../annotators/annotator-cms.ts';
import { firstViewUrls, requestSegments, startViewer, type ViewerServer } from './viewer-server.ts';
import type { CatalogJson, TableJson } from './viewer-api.ts';

let fx: ViewTestDataset;
let server: ViewerServer;

beforeAll(async () => {
  fx = await viewTestDataset();
  server = await startViewer({ data: fx.data, predictions: [fx.pred], fused: ['majority'], port: 0 });
});
afterAll(async () => {
  await server?.close();
  fx?.remove();
});

/** A raw GET (the path is sent exactly as given, unlike fetch, which normalises `..`). */
function get(
  path: string,
  host = `127.0.0.1:${server.port}`,
): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('requestSegments', () => {
  it('decodes plain paths and refuses dot segments, encoded slashes, backslashes, NUL and non-absolute targets', () => {
    expect(requestSegments('/data/0/rater-1.nii?x=1')).toEqual(['data', '0', 'rater-1.nii']);
    expect(requestSegments('/')).toEqual([]);
    for (const bad of [
      '/../etc/passwd',
      '/data/%2e%2e/x',
      '/a%2Fb',
      '/a%5Cb',
      '/a%00',
      '//etc/passwd',
      'etc/passwd',
      '/a//b',
      '/%E0%A4%A',
    ]) {
      expect(requestSegments(bad), bad).toBeNull();
    }
  });
});

describe('startViewer', () => {
  it('lists every case with its layers by URL, never by file path', async () => {
    const res = await get('/api/catalog');
    const catalog: CatalogJson = JSON.parse(res.body.toString());
    expect(catalog.cases.map((c) => c.id)).toEqual(fx.caseIds);
    const keys = catalog.cases[0].layers.map((l) => l.key);
    expect(keys).toEqual([
      'image',
      'cine',
      'truth',
      'rater-0',
      'rater-1',
      'rater-2',
      'pred-0',
      'fused-majority',
      'disagreement',
      'staple',
    ]);
    expect(res.body.toString()).not.toContain(fx.work);
  });

  it('names the files of the first view in the page, for the case and layers its URL asks for', async () => {
    const [c0, c1] = server.catalog.cases;
    expect(c0.back).toBe('image');
    expect(c0.shown).toEqual(['rater-0', 'disagreement']);
    expect(firstViewUrls(server.catalog, 0, '/')).toEqual(['/data/0/image.nii', '/data/0/rater-0.nii']);
    expect(
      firstViewUrls(server.catalog, 0, `/?case=${encodeURIComponent(c1.id)}&show=truth,disagreement,pred-0`),
    ).toEqual(['/data/1/image.nii', '/data/1/truth.nii', '/data/1/pred-0.nii']);
    expect(firstViewUrls(server.catalog, 0, '/?case=nosuchcase&show=')).toEqual(['/data/0/image.nii']);
    const page = (await get('/?view=axial')).body.toString();
    expect(page).toContain('["/data/0/image.nii","/data/0/rater-0.nii"]');
  });

  it('serves a dataset file byte for byte, gzip as content encoding', async () => {
    const res = await get('/data/1/rater-0.nii');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body.equals(readFileSync(server.catalog.cases[1].layers.find((l) => l.key === 'rater-0')!.file!))).toBe(
      true,
    );
  });

  it('serves the gzip files of the case opened first inflated, prepared at start for the first view', async () => {
    const res = await get('/data/0/rater-0.nii');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(
      res.body.equals(gunzipSync(readFileSync(server.catalog.cases[0].layers.find((l) => l.key === 'rater-0')!.file!))),
    ).toBe(true);
  });

  it('computes the disagreement map on the case grid, at most 2 of 3 raters differing', async () => {
    const res = await get('/data/0/disagreement.nii');
    const { volume } = parseNifti(new Uint8Array(res.body), 'disagreement.nii');
    const rater = parseNifti(new Uint8Array((await get('/data/0/rater-0.nii')).body), 'rater-0.nii').volume;
    expect(volume.shape).toEqual(rater.shape);
    expect(volume.affine).toEqual(rater.affine);
    const max = Math.max(...volume.data);
    expect(max).toBeGreaterThan(0);
    expect(max).toBeLessThanOrEqual(2);
  });

  it('gives each rater a Dice against the truth in the case table', async () => {
    const table: TableJson = JSON.parse((await get('/api/table')).body.toString());
    expect(table.rows).toHaveLength(fx.caseIds.length);
    for (const row of table.rows) {
      expect(row.reference).toBe('truth');
      expect(row.dice.expert).toBeGreaterThan(row.dice.nonexpert1!);
      expect(row.dice.expert).toBeLessThanOrEqual(1);
    }
  });

  it('answers 404 with no file content to paths outside the catalogue, whatever their form', async () => {
    const attempts = [
      '/../secret.txt',
      '/data/../../secret.txt',
      '/data/0/..%2F..%2F..%2Fsecret.txt',
      '/%2e%2e/%2e%2e/secret.txt',
      '/data/0/%252e%252e%252fsecret.txt',
      `/${fx.work}/secret.txt`,
      `/data/0/${encodeURIComponent(`${fx.work}/secret.txt`)}`,
      '//etc/passwd',
      '/data/0/..\\..\\secret.txt',
      '/escape.nii.gz',
      '/data/escape.nii.gz',
      '/unreferenced.nii.gz',
      '/dataset.json',
      '/data/0/image.nii.gz',
      '/data/99/image.nii',
      '/data/00/image.nii',
    ];
    for (const path of attempts) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.toString(), path).toBe('not found');
    }
  });

  it('adds the model’s per-pixel CM diagonal as a layer of the case it names', async () => {
    const withModel = await startViewer({ data: fx.data, model: fx.model, port: 0 });
    try {
      const [first, second] = withModel.catalog.cases;
      expect(first.layers.filter((l) => l.kind === 'cm-diagonal').map((l) => [l.key, l.name])).toEqual([
        ['cmdiag-0', 'CM diagonal expert'],
      ]);
      expect(second.layers.some((l) => l.kind === 'cm-diagonal')).toBe(false);
    } finally {
      await withModel.close();
    }
  });

  it('names the annotator-CM file and the matrix of the wrong size', async () => {
    const bad = `${fx.work}/bad-model`;
    mkdirSync(bad);
    writeFileSync(
      `${bad}/annotator-cms.json`,
      JSON.stringify({ raters: ['a'], labels: ['bg', 'fg'], matrices: { a: [[1]] } }),
    );
    expect(() => readAnnotatorCms(bad)).toThrow(/bad-model\/annotator-cms.json: matrices.a: expected a 2×2 matrix/);
  });

  it('refuses requests naming another host (DNS rebinding)', async () => {
    expect((await get('/api/catalog', 'evil.example:80')).status).toBe(404);
  });

  it('names the unknown case or fusion method', async () => {
    await expect(startViewer({ data: fx.data, caseId: 'nope', port: 0 })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(/options.caseId: no case "nope"/),
    });
    await expect(startViewer({ data: fx.data, fused: ['vote'], port: 0 })).rejects.toMatchObject({
      code: 'unknown_name',
      message: expect.stringMatching(/unknown method "vote"/),
    });
  });
});
