/** Minimal PNG decoder for tests (8-bit RGB/RGBA, non-interlaced: what resvg writes). */
import { inflateSync } from 'node:zlib';

export interface Image {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export function decodePng(buf: Uint8Array): Image {
  const b = Buffer.from(buf);
  if (b.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (off < b.length) {
    const len = b.readUInt32BE(off);
    const type = b.toString('ascii', off + 4, off + 8);
    const data = b.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('unsupported PNG (bit depth or interlace)');
      colorType = data[9];
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (!bpp) throw new Error(`unsupported PNG colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = new Uint8Array(width * height * 4);
  const prev = new Uint8Array(stride);
  const cur = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0;
      const up = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      let v = row[i];
      if (f === 1) v += a;
      else if (f === 2) v += up;
      else if (f === 3) v += (a + up) >> 1;
      else if (f === 4) {
        const p = a + up - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
      }
      cur[i] = v & 255;
    }
    for (let x = 0; x < width; x++) {
      out[(y * width + x) * 4] = cur[x * bpp];
      out[(y * width + x) * 4 + 1] = cur[x * bpp + 1];
      out[(y * width + x) * 4 + 2] = cur[x * bpp + 2];
      out[(y * width + x) * 4 + 3] = bpp === 4 ? cur[x * bpp + 3] : 255;
    }
    prev.set(cur);
  }
  return { width, height, rgba: out };
}

/** Pixels in the rectangle whose colour is within `tol` (per channel) of `rgb`, and their mean x. */
export function countColor(
  img: Image,
  rect: { x0: number; y0: number; x1: number; y1: number },
  rgb: [number, number, number],
  tol = 60,
): { n: number; meanX: number } {
  let n = 0;
  let sx = 0;
  for (let y = Math.max(0, rect.y0); y < Math.min(img.height, rect.y1); y++)
    for (let x = Math.max(0, rect.x0); x < Math.min(img.width, rect.x1); x++) {
      const i = (y * img.width + x) * 4;
      if (Math.abs(img.rgba[i] - rgb[0]) <= tol && Math.abs(img.rgba[i + 1] - rgb[1]) <= tol && Math.abs(img.rgba[i + 2] - rgb[2]) <= tol) {
        n++;
        sx += x;
      }
    }
  return { n, meanX: n ? sx / n : NaN };
}

type Rect = { x0: number; y0: number; x1: number; y1: number };

/** Pixels that differ from white and from the light grid grey (anything drawn), outside `skip` (e.g. the legend). */
export function countInk(img: Image, rect: Rect, skip?: Rect): number {
  let n = 0;
  for (let y = Math.max(0, rect.y0); y < Math.min(img.height, rect.y1); y++)
    for (let x = Math.max(0, rect.x0); x < Math.min(img.width, rect.x1); x++) {
      if (skip && x >= skip.x0 && x < skip.x1 && y >= skip.y0 && y < skip.y1) continue;
      const i = (y * img.width + x) * 4;
      if (Math.min(img.rgba[i], img.rgba[i + 1], img.rgba[i + 2]) < 200) n++;
    }
  return n;
}
