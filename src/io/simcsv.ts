/**
 * Simulation output CSV: `t_s,v_V,i_A,ndisc` first (design.md), then `v_cell_V,T_K,compliance,vs_V`
 * and, with v1b var redraws, `r_var_m,l_var_m`. One row per waveform point. Written atomically.
 */
import { writeFileAtomic } from './atomic.js';
import type { SimResult } from '../model/index.js';

export function simResultToCsv(r: SimResult, opts: { withVar?: boolean } = {}): string {
  const f = (x: number): string => (Number.isFinite(x) ? x.toExponential(10) : 'NaN');
  const head = ['t_s', 'v_V', 'i_A', 'ndisc', 'v_cell_V', 'T_K', 'compliance', 'vs_V'];
  if (opts.withVar) head.push('r_var_m', 'l_var_m');
  const lines: string[] = [head.join(',')];
  for (let k = 0; k < r.tS.length; k++) {
    const cols = [f(r.tS[k]), f(r.vV[k]), f(r.iA[k]), f(r.ndisc[k]), f(r.vCellV[k]), f(r.tempK[k]), String(r.complianceActive[k]), f(r.vsV[k])];
    if (opts.withVar) cols.push(f(r.rVarM[k]), f(r.lVarM[k]));
    lines.push(cols.join(','));
  }
  return lines.join('\n') + '\n';
}

export function writeSimCsv(path: string, r: SimResult, opts: { withVar?: boolean } = {}): void {
  writeFileAtomic(path, simResultToCsv(r, opts));
}
