/**
 * JART v1b var bookkeeping (spec §6.1). The device's filament radius and disc length move linearly
 * with the switching progress f from the values at the last zero crossing (r_old, l_old) to the
 * targets of the running switching event (r_new, l_new). Targets and the N bounds are redrawn at
 * every entry into SET or RESET polarity by an injected sampler (none: they stay fixed).
 */
export interface CycleDraw {
  rnew: number;
  lnew: number;
  Ndiscmin: number;
  Ndiscmax: number;
}

export interface CycleEvent {
  /** 0-based count of switching events (entries into SET or RESET polarity). */
  index: number;
  tS: number;
  polarity: 'set' | 'reset';
  ndisc: number;
}

/** Called when |V| rises above 1.5e-5 V; returns the new targets (or nothing to keep them). */
export type CycleSampler = (event: CycleEvent) => CycleDraw | null | undefined;

export class VarState {
  // doubles from the start: a field declared without a value holds undefined first, and V8 then
  // keeps it boxed (a new heap number at every write; update() writes per evaluation)
  rOld = NaN;
  lOld = NaN;
  nOld = NaN;
  rNew = NaN;
  lNew = NaN;
  nMin = NaN;
  nMax = NaN;
  rVar = NaN;
  lVar = NaN;
  events = 0;

  constructor(rnew: number, lnew: number, nInit: number, nMin: number, nMax: number) {
    this.rOld = this.rNew = this.rVar = rnew;
    this.lOld = this.lNew = this.lVar = lnew;
    this.nOld = nInit;
    this.nMin = nMin;
    this.nMax = nMax;
  }

  /** True when the geometry depends on N (targets differ from the stored old values). */
  get moving(): boolean {
    return this.rOld !== this.rNew || this.lOld !== this.lNew;
  }

  /** Zero-crossing event: store the current values; on entry into a polarity, redraw. */
  crossing(ndisc: number, tS: number, entering: 'set' | 'reset' | null, sampler?: CycleSampler): void {
    this.rOld = this.rVar;
    this.lOld = this.lVar;
    this.nOld = ndisc;
    if (entering === null || !sampler) return;
    const d = sampler({ index: this.events++, tS, polarity: entering, ndisc });
    if (!d) return;
    const ok =
      d.rnew > 0 && d.lnew > 0 && d.Ndiscmin > 0 && d.Ndiscmax > d.Ndiscmin && Number.isFinite(d.rnew + d.lnew + d.Ndiscmin + d.Ndiscmax);
    if (!ok) return;
    this.rNew = d.rnew;
    this.lNew = d.lnew;
    this.nMin = d.Ndiscmin;
    this.nMax = d.Ndiscmax;
  }

  /** Sets rVar/lVar for state N in the given polarity (f guarded to [0, 1]). */
  update(ndisc: number, setPol: boolean): void {
    const den = setPol ? this.nMax - this.nOld : this.nOld - this.nMin;
    if (!(Math.abs(den) > 1e-12 * Math.max(this.nMax, 1e-30))) return;
    let f = setPol ? (ndisc - this.nOld) / den : (this.nOld - ndisc) / den;
    if (!(f > 0)) f = 0;
    else if (f > 1) f = 1;
    this.rVar = this.rOld + (this.rNew - this.rOld) * f;
    this.lVar = this.lOld + (this.lNew - this.lOld) * f;
  }
}
