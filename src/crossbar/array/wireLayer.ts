/**
 * Couples the wire-resistance solve into a layer's forward MVM (inference): each tile becomes a
 * physical array with inputs on the rows (V_i = V_read·x_i after the DAC) and outputs on the columns;
 * G_ij = I_read/V_read of each JART device. With the single-device mapping w = a + b·I_read, the
 * product is Σ_i a_ij·x_i (digital reference) + b̄·I_col,j/V_read, I_col from `solveWireIterative`
 * (b̄: the tile's mean slope, exact without G-bound variability). Allocates per call: inference only.
 */
import type { AnalogLayer } from '../core/analogLayer.js';
import { JartArray } from '../device/jartArray.js';
import { solveWireIterative } from './wire.js';
import { JartcalError } from '../../util/errors.js';

export interface WireSettings { rWireOhm: number; vReadV: number; iterations: number; tol: number }

export function attachWire(layer: AnalogLayer, s: WireSettings): { iterationsMax: number } {
  const stats = { iterationsMax: 0 };
  layer.product = layer.tiles.map((row) => row.map((t) => {
    if (!(t.dev instanceof JartArray)) throw new JartcalError('wire resistance needs JART devices with the single-device mapping (device.model aihwkit-jart or jart, mapping.kind single-device)', { code: 'bad_config' });
    const dev = t.dev;
    const nIn = t.cols, nOut = t.rows;
    const g = new Float64Array(nIn * nOut), a = new Float64Array(nIn * nOut);
    let bSum = 0;
    for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) {
      const k = o * nIn + i;
      const [ak, bk] = dev.mapCoeffs(k);
      g[i * nOut + o] = dev.readCurrentA(k) / s.vReadV;
      a[i * nOut + o] = ak; bSum += bk;
    }
    const bMean = bSum / (nIn * nOut);
    return (xq: Float64Array, y: Float64Array): void => {
      const v = new Float64Array(nIn);
      for (let i = 0; i < nIn; i++) v[i] = s.vReadV * xq[i];
      const res = solveWireIterative(g, nIn, nOut, v, s.rWireOhm, s.iterations, s.tol);
      if (res.iterations > stats.iterationsMax) stats.iterationsMax = res.iterations;
      for (let o = 0; o < nOut; o++) {
        let acc = 0;
        for (let i = 0; i < nIn; i++) acc += a[i * nOut + o] * xq[i];
        y[o] = acc + bMean * res.iA[o]; // I_col = Σ G·V_read·x = Σ I_read·x
      }
    };
  }));
  return stats;
}
