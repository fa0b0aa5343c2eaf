/**
 * Couples the wire-resistance solve into a layer's forward MVM (inference): each tile becomes a
 * physical array with inputs on the rows (V_i = V_read·x_i after the DAC) and outputs on the columns;
 * G_ij = I_read/V_read of each JART device. With the single-device mapping w = a + b·I_read, the
 * product is Σ_i a_ij·x_i (digital reference) + b̄·I_col,j/V_read (b̄: the tile's mean slope, exact without
 * G-bound variability), with I_col = T·v and T the array's transfer matrix (`wireTransferMatrix`, computed
 * once per tile when attached: the devices do not change in inference).
 */
import type { AnalogLayer } from '../core/analogLayer.js';
import { JartArray } from '../device/jartArray.js';
import { wireTransferMatrix } from './wire.js';
import { JartcalError } from '../../util/errors.js';

export interface WireSettings { rWireOhm: number; vReadV: number; iterations: number; tol: number }

export interface WireStats {
  /** Largest Gauss–Seidel iteration count of the transfer-matrix solves. */
  iterationsMax: number;
  converged: boolean;
  /** Smallest over the layer's tiles of Σ T / Σ G: the share of the wire-free column current that arrives (uniform input). */
  currentRatioMin: number;
}

export function attachWire(layer: AnalogLayer, s: WireSettings): WireStats {
  const stats: WireStats = { iterationsMax: 0, converged: true, currentRatioMin: 1 };
  layer.product = layer.tiles.map((row) => row.map((t) => {
    if (!(t.dev instanceof JartArray)) throw new JartcalError('wire resistance needs JART devices with the single-device mapping (device.model aihwkit-jart or jart, mapping.kind single-device)', { code: 'bad_config' });
    const dev = t.dev;
    const nIn = t.cols, nOut = t.rows;
    // g: row-major by input row (the array's layout for the solve); a: the mapping offsets by output
    const g = new Float64Array(nIn * nOut), a = new Float64Array(nIn * nOut);
    let bSum = 0;
    for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) {
      const k = o * nIn + i;
      const [ak, bk] = dev.mapCoeffs(k);
      g[i * nOut + o] = dev.readCurrentA(k) / s.vReadV;
      a[k] = ak; bSum += bk;
    }
    const bMean = bSum / (nIn * nOut);
    // the array is linear: its transfer matrix (one solve per driven row) makes every MVM a plain product
    const tr = wireTransferMatrix(g, nIn, nOut, s.rWireOhm, s.iterations, s.tol);
    if (tr.iterationsMax > stats.iterationsMax) stats.iterationsMax = tr.iterationsMax;
    if (!tr.converged) stats.converged = false;
    let sumT = 0, sumG = 0;
    for (let k = 0; k < g.length; k++) { sumT += tr.t[k]; sumG += g[k]; }
    stats.currentRatioMin = Math.min(stats.currentRatioMin, sumT / sumG);
    // y_o = Σ_i a_oi·x_i + b̄·I_col,o with I_col = T·V_read·x (no wire: Σ G·V_read·x = Σ I_read·x): one
    // effective matrix a + b̄·V_read·T (T is laid out t[o·nIn + i], as a)
    const eff = a;
    for (let k = 0; k < eff.length; k++) eff[k] += bMean * s.vReadV * tr.t[k];
    return (xq: Float64Array, y: Float64Array): void => {
      for (let o = 0; o < nOut; o++) {
        let acc = 0;
        const m = o * nIn;
        for (let i = 0; i < nIn; i++) acc += eff[m + i] * xq[i];
        y[o] = acc;
      }
    };
  }));
  return stats;
}
