/**
 * The viewer serves only the dataset (issue 30): a rater that is a link to a file outside the dataset, a
 * `../secret.nii` path and an absolute path are refused with 404 and no content even though each is a valid
 * NIfTI; a link inside the dataset to a file inside it is served; a file that is no image is refused whatever its
 * name; `allowRoots` serves a folder the user names; a wildcard bind refuses a foreign Host header.
 */
import { copyFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { viewTestDataset, type ViewTestDataset } from '../../test/view-dataset.ts';
import { loadDataset, resolveCasePath, saveDataset } from '../datasets/dataset.ts';
import { startViewer, type ViewerServer } from './viewer-server.ts';
import type { CatalogJson } from './viewer-api.ts';

let fx: ViewTestDataset;
let secret: string;
let secretBytes: Buffer;

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  fx = await viewTestDataset();
  const { dataset, root } = loadDataset(fx.data);
  const [c0, c1] = dataset.cases;
  // The secret is a real NIfTI, so only containment can refuse it.
  secret = join(fx.work, 'secret.nii.gz');
  copyFileSync(resolveCasePath(root, c0.raters.expert), secret);
  secretBytes = readFileSync(secret);
  symlinkSync(secret, join(root, 'escape-link.nii.gz'));
  symlinkSync(resolveCasePath(root, c0.raters.expert), join(root, 'inside-link.nii.gz'));
  writeFileSync(join(root, 'not-an-image.nii'), 'user:x:1000:1000::/home/user:/bin/sh\n'.repeat(20));
  c0.raters.nonexpert1 = 'inside-link.nii.gz';
  c0.meta.cine = 'not-an-image.nii';
  c1.raters.nonexpert1 = 'escape-link.nii.gz';
  c1.raters.nonexpert2 = '../secret.nii.gz';
  c1.truth = secret;
  saveDataset(root, dataset);
});
afterAll(() => fx?.remove());

describe('viewer containment', () => {
  let server: ViewerServer;
  const logged: string[] = [];
  beforeAll(async () => {
    server = await startViewer({ data: fx.data, port: 0 });
    vi.spyOn(process.stderr, 'write').mockImplementation((line) => (logged.push(String(line)), true));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await server?.close();
  });

  it('refuses a link leaving the dataset, a ../ path and an absolute path: 404, no content, one log line naming case and file', async () => {
    const urls = ['/data/1/rater-1.nii', '/data/1/rater-2.nii', '/data/1/truth.nii'];
    for (const url of urls) {
      const res = await get(server.port, url);
      expect(res.status, url).toBe(404);
      expect(res.body.toString(), url).toBe('not found');
      expect(res.body.includes(secretBytes.subarray(0, 64)), url).toBe(false);
    }
    const c1 = server.catalog.cases[1];
    expect(c1.layers.map((l) => l.key)).toEqual(['image', 'cine', 'rater-0']);
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatch(
      new RegExp(
        `^multirater view: refused /data/1/rater-1.nii \\(case "${c1.id}", nonexpert1\\): .*escape-link.nii.gz leads to ${secret}, outside ${fx.data}\\n$`,
      ),
    );
    expect(logged[1]).toContain('nonexpert2');
    expect(logged[2]).toContain('truth');
  });

  it('lists the refused files with the reason and never names them in the catalogue', async () => {
    expect(server.catalog.refused.map((r) => [r.caseIndex, r.key])).toEqual([
      [0, 'cine'],
      [1, 'truth'],
      [1, 'rater-1'],
      [1, 'rater-2'],
    ]);
    expect(server.catalog.refused[0].reason).toMatch(/not-an-image.nii: not a NIfTI or NRRD image/);
    const body = (await get(server.port, '/api/catalog')).body.toString();
    expect(body).not.toContain('secret');
    expect((JSON.parse(body) as CatalogJson).cases[1].raters).toEqual(['expert']);
  });

  it('serves a link inside the dataset to a file inside it', async () => {
    const res = await get(server.port, '/data/0/rater-1.nii');
    expect(res.status).toBe(200);
    expect(server.catalog.cases[0].layers.find((l) => l.key === 'rater-1')?.name).toBe('nonexpert1');
  });

  it('refuses a file swapped for a link to the outside after start-up', async () => {
    const layer = server.catalog.cases[1].layers.find((l) => l.key === 'rater-0')!;
    const res0 = await get(server.port, '/data/1/rater-0.nii');
    expect(res0.status).toBe(200);
    const { rmSync } = await import('node:fs');
    const saved = readFileSync(layer.file!);
    rmSync(layer.file!);
    symlinkSync(secret, layer.file!);
    try {
      const res = await get(server.port, '/data/1/rater-0.nii');
      expect(res.status).toBe(404);
      expect(res.body.toString()).toBe('not found');
    } finally {
      rmSync(layer.file!);
      writeFileSync(layer.file!, saved);
    }
  });
});

describe('allowRoots and hosts', () => {
  it('serves files under a root the user names', async () => {
    const server = await startViewer({ data: fx.data, port: 0, allowRoots: [fx.work] });
    try {
      expect(server.catalog.refused.map((r) => r.key)).toEqual(['cine']);
      const res = await get(server.port, '/data/1/truth.nii');
      expect(res.status).toBe(200);
      expect(server.catalog.roots).toEqual([fx.data, fx.work]);
    } finally {
      await server.close();
    }
  });

  it('on a wildcard bind, answers its own addresses and the names allowed, refuses a foreign Host', async () => {
    const server = await startViewer({ data: fx.data, port: 0, host: '0.0.0.0', allowHosts: ['viewer.lab.example'] });
    try {
      expect(server.exposed).toBe(true);
      expect((await get(server.port, '/api/catalog')).status).toBe(200);
      expect((await get(server.port, '/api/catalog', `viewer.lab.example:${server.port}`)).status).toBe(200);
      const foreign = await get(server.port, '/data/0/image.nii', `evil.example:${server.port}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body.toString()).toBe('not found');
    } finally {
      await server.close();
    }
  });
});
