/**
 * Couples the wire-resistance solve into a layer's forward MVM (inference): each tile becomes a
 * physical array (two with the differential pair) with inputs on the rows (V_i = V_read·x_i after the
 * DAC) and outputs on the columns; G_ij = I_read/V_read of each JART device. The array is linear, so
 * its transfer matrix T (`wireTransferMatrix`, once per array when attached: the devices do not change
 * in inference) gives the column currents I_col = T·v, and T_ij replaces G_ij as device ij's effective
 * conductance (exact as the wire resistance vanishes, and for any wire resistance where the mapping's
 * slope is the same for every device of a column; with per-device slopes — a pair under d2d variation —
 * how a column's loss is shared among its devices is approximated):
 * - single device, w = a + b·I_read (b global): y = Σ_i (a_ij + b·V_read·T_ij)·x_i, i.e. the digital
 *   offsets plus b times the column current;
 * - differential pair, w = s·(g⁺ − g⁻) with g = (w_dev − w_lo)/(w_hi − w_lo) of each device: the same
 *   line per device, g = (a − w_lo)/(w_hi − w_lo) + b/(w_hi − w_lo)·I_read, on each of the two arrays —
 *   the offsets of the two largely cancel, so a relative IR drop δ costs a weight error ≈ −δ·w instead of
 *   the single device's common-mode one.
 * Optional compensation ('column-gain'): each column's current scaled by its wire-free over its wired
 * current for a uniform input, a calibration the periphery can make once after programming; exact for
 * uniform inputs, first order for others.
 */
import type { AnalogLayer } from '../core/analogLayer.js';
import { JartArray } from '../device/jartArray.js';
import { DifferentialPairArray, ScaledArray } from '../mapping/mapping.js';
import { wireTransferMatrix } from './wire.js';
import { JartcalError } from '../../util/errors.js';

export interface WireSettings {
  rWireOhm: number;
  vReadV: number;
  iterations: number;
  tol: number;
  /** 'column-gain': each column's current multiplied by Σ_i G_ij / Σ_i T_ij (the current its devices should
   *  deliver with every row at V_read over the current that arrives: one calibration read per column). */
  compensation?: 'none' | 'column-gain';
}

export interface WireStats {
  /** Largest Gauss–Seidel iteration count of the transfer-matrix solves. */
  iterationsMax: number;
  converged: boolean;
  /** Smallest over the layer's tiles of Σ T / Σ G: the share of the wire-free column current that arrives (uniform input). */
  currentRatioMin: number;
}

/** A JART array's read conductances laid out for the solve (row-major by input row) and its transfer matrix. */
function transfer(dev: JartArray, nIn: number, nOut: number, s: WireSettings, stats: WireStats): Float64Array {
  const g = new Float64Array(nIn * nOut);
  for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) g[i * nOut + o] = dev.readCurrentA(o * nIn + i) / s.vReadV;
  const tr = wireTransferMatrix(g, nIn, nOut, s.rWireOhm, s.iterations, s.tol);
  if (tr.iterationsMax > stats.iterationsMax) stats.iterationsMax = tr.iterationsMax;
  if (!tr.converged) stats.converged = false;
  let sumT = 0,
    sumG = 0;
  for (let k = 0; k < g.length; k++) {
    sumT += tr.t[k];
    sumG += g[k];
  }
  stats.currentRatioMin = Math.min(stats.currentRatioMin, sumT / sumG);
  const t = tr.t; // laid out t[o·nIn + i], as the device index
  if (s.compensation === 'column-gain') {
    for (let o = 0; o < nOut; o++) {
      let sg = 0,
        st = 0;
      for (let i = 0; i < nIn; i++) {
        sg += g[i * nOut + o];
        st += t[o * nIn + i];
      }
      const gain = st > 0 ? sg / st : 1;
      for (let i = 0; i < nIn; i++) t[o * nIn + i] *= gain;
    }
  }
  return t;
}

/** eff += sign·scale·(offset_k + slope_k·V_read·T_k), the line g(I) or w(I) of each device k with I = V_read·T_k. */
function addLine(
  eff: Float64Array,
  dev: JartArray,
  t: Float64Array,
  vReadV: number,
  sign: number,
  normalised: boolean,
  scale: number,
): void {
  for (let k = 0; k < eff.length; k++) {
    const [a, b] = dev.mapCoeffs(k);
    if (normalised) {
      const lo = dev.wMin(k),
        span = dev.wMax(k) - lo;
      eff[k] += sign * scale * ((a - lo) / span + (b / span) * vReadV * t[k]);
    } else eff[k] += sign * scale * (a + b * vReadV * t[k]);
  }
}

export function attachWire(layer: AnalogLayer, s: WireSettings): WireStats {
  const stats: WireStats = { iterationsMax: 0, converged: true, currentRatioMin: 1 };
  const refuse = () =>
    new JartcalError('wire resistance needs JART devices (device.model aihwkit-jart or jart), single-device or differential-pair mapping', {
      code: 'bad_config',
    });
  layer.product = layer.tiles.map((row) =>
    row.map((t) => {
      const nIn = t.cols,
        nOut = t.rows;
      // y_o = Σ_i eff[o·nIn + i]·x_i: the mapping's lines with each device's effective conductance
      const eff = new Float64Array(nIn * nOut);
      if (t.dev instanceof JartArray) addLine(eff, t.dev, transfer(t.dev, nIn, nOut, s, stats), s.vReadV, 1, false, 1);
      else if (t.dev instanceof ScaledArray && t.dev.inner instanceof JartArray)
        addLine(eff, t.dev.inner, transfer(t.dev.inner, nIn, nOut, s, stats), s.vReadV, 1, false, t.dev.scale);
      else if (t.dev instanceof DifferentialPairArray) {
        const [plus, minus] = t.dev.devices;
        if (!(plus instanceof JartArray) || !(minus instanceof JartArray)) throw refuse();
        addLine(eff, plus, transfer(plus, nIn, nOut, s, stats), s.vReadV, 1, true, t.dev.scale);
        addLine(eff, minus, transfer(minus, nIn, nOut, s, stats), s.vReadV, -1, true, t.dev.scale);
      } else throw refuse();
      return (xq: Float64Array, y: Float64Array): void => {
        for (let o = 0; o < nOut; o++) {
          let acc = 0;
          const m = o * nIn;
          for (let i = 0; i < nIn; i++) acc += eff[m + i] * xq[i];
          y[o] = acc;
        }
      };
    }),
  );
  return stats;
}
