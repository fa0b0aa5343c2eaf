/**
 * The device draw of a crossbar experiment, per seed (docs/crossbar.md, d2d rdisc 30 %): per layer the share of
 * devices clipped at the lower r bound 31.5 nm (fast: switch their window in one pulse), at the upper bound 58.5 nm (slow) and
 * between; for the output layer, per output unit, the devices with r in (31.5, 50) nm — the ones that train at
 * a usable speed. Builds the networks only (no training).
 *   node --import tsx scripts/studies/crossbar-draw-composition.ts [experiments/X.json] [--seeds 1,2,3,4]
 */
import { readFileSync } from 'node:fs';
import { resolveConfig } from '../../src/crossbar/experiment/config.js';
import { buildNetwork } from '../../src/crossbar/experiment/inSitu.js';
const raw = JSON.parse(
  readFileSync(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'experiments/paper-d2d-rdisc-30.json', 'utf8'),
);
const si = process.argv.indexOf('--seeds');
const seeds = si > 0 ? process.argv[si + 1].split(',').map(Number) : [1, 2, 3, 4];
for (const seed of seeds) {
  const cfg = resolveConfig({ ...raw, seed, device: { ...raw.device, jart: { ...(raw.device?.jart ?? {}), engine: 'exact' } } });
  const { layers } = buildNetwork(cfg, 0);
  const parts: string[] = [];
  layers.forEach((l, li) => {
    let fast = 0,
      slow = 0,
      mid = 0,
      n = 0;
    for (const row of l.tiles)
      for (const t of row) {
        const r = (t.dev as unknown as { r: Float64Array }).r;
        for (let k = 0; k < r.length; k++) {
          n++;
          if (r[k] <= 31.51e-9) fast++;
          else if (r[k] >= 58.49e-9) slow++;
          else mid++;
        }
      }
    parts.push(
      `L${li + 1} fast ${((100 * fast) / n).toFixed(1)} % slow ${((100 * slow) / n).toFixed(1)} % mid ${((100 * mid) / n).toFixed(1)} %`,
    );
  });
  // last layer: per output, number of devices with r in (31.5, 50) nm (the ones that train at a usable speed)
  const last = layers[layers.length - 1];
  const t = last.tiles[0][0];
  const r = (t.dev as unknown as { r: Float64Array }).r;
  const usable: number[] = [];
  for (let o = 0; o < t.rows; o++) {
    let c = 0;
    for (let i = 0; i < t.cols; i++) {
      const x = r[o * t.cols + i];
      if (x > 31.51e-9 && x < 50e-9) c++;
    }
    usable.push(c);
  }
  console.log(`seed ${seed}: ${parts.join(' | ')} | last layer usable per output ${usable.join(',')} (tile ${t.rows}x${t.cols})`);
}
