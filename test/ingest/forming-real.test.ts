// The electroforming recognition (src/ingest/sequence.ts: the device's first sweep switching beyond 1.2 × the peak |V| of
// the later sweeps, from a resistance ≥ 10 × the highest the later sweeps start from) on the real measurements in
// ../shared/measurements. None of them holds a forming sweep (each SOURCE.md: aguirref's and ddas04's "Cycle 1" are
// cycles of an already formed device, polimi and nbsto are loops of formed cells), so every real first sweep must be
// left in the cycles. aguirref's first cycle starts from about 2000 × the resistance of its later cycles yet switches
// at an ordinary SET voltage: the resistance test alone would take it for a forming, the voltage test keeps it a cycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedPath } from '../helpers/shared.js';
import { ingestFiles } from '../../src/io/ingest.js';
import { formingFromData, formingVoltage, resistanceAt } from '../../src/ingest/sequence.js';
import type { Piece } from '../../src/ingest/units-split.js';
import type { Dataset } from '../../src/ingest/index.js';
import { median } from '../../src/util/stats.js';

const M = (...p: string[]) => sharedPath('measurements', ...p);

/** A dataset cycle's SET and RESET halves (model convention: SET at V ≤ 0) as the pieces the recognition reads, in order. */
function halves(c: { vV: number[]; iA: number[] }): Piece[] {
  const part = (keep: (v: number) => boolean): Piece => {
    const idx = c.vV.flatMap((v, i) => (keep(v) ? [i] : []));
    const trace = { vV: Float64Array.from(idx, (i) => c.vV[i]), iA: Float64Array.from(idx, (i) => c.iA[i]) };
    return { trace, start: 0, end: idx.length, device: '', order: 0, wholeCycle: false } as unknown as Piece;
  };
  return [part((v) => v <= 0), part((v) => v >= 0)];
}

/**
 * The recognition run on the device's first sweep (its first cycle's SET half) against every later half, and the two
 * ratios it tests.
 */
function firstSweep(ds: Dataset, device: number): { verdict: string | null; vRatio: number; rRatio: number } {
  const readV = ds.options.readVoltageV;
  const [first, ...later] = ds.devices[device].cycles.flatMap(halves);
  const verdict = formingFromData(first, later, readV);
  const peak = (p: Piece): number => Math.max(...Array.from(p.trace.vV, Math.abs));
  const rLater = later.map((p) => resistanceAt(p, readV)!).filter(Number.isFinite);
  return {
    verdict,
    vRatio: Math.abs(formingVoltage(first)!) / median(later.map(peak)),
    rRatio: resistanceAt(first, readV)! / Math.max(...rLater),
  };
}

const noForming = (ds: Dataset): void => {
  for (const d of ds.devices) {
    assert.ok(!(d.tests ?? []).some((t) => t.role === 'forming'), `device ${d.id}: a sweep taken for a forming`);
    assert.ok(d.formingV === undefined || d.formingV === null, `device ${d.id}: formingV ${d.formingV}`);
  }
  assert.ok(!ds.issues.some((i) => i.code === 'skipped_forming'));
};

test('aguirref: a first cycle from a resistance far above the later ones but switching at an ordinary voltage is no forming', (t) => {
  const ds = ingestFiles([M('aguirref-k4200-set-reset-10cyc')], { readVoltageV: 0.2 });
  noForming(ds);
  assert.equal(ds.devices[0].cycles.length, 11);
  const { verdict, vRatio, rRatio } = firstSweep(ds, 0);
  assert.equal(verdict, null);
  t.diagnostic(
    `aguirref first sweep: switching at ${vRatio.toFixed(2)} × the later peak |V|, from ${rRatio.toFixed(0)} × their highest resistance`,
  );
  assert.ok(rRatio >= 10, `the resistance test alone would pass (${rRatio.toFixed(0)} ×)`);
  assert.ok(vRatio < 1, `switching at ${vRatio.toFixed(2)} × the later peak |V|, below 1.2`);
});

test('ddas04 (100 devices, one cycle each, and one device of 100 cycles) and polimi: no forming, first sweeps far from both thresholds', (t) => {
  const ddas = ingestFiles([M('ddas04-rram-100dev-100cyc', '100devices.xlsx')]);
  noForming(ddas);
  const long = ddas.devices.findIndex((d) => d.cycles.length >= 100);
  assert.ok(long >= 0, 'the 100-cycle device');
  const a = firstSweep(ddas, long);
  assert.equal(a.verdict, null);
  t.diagnostic(`ddas04 first cycle: V ${a.vRatio.toFixed(2)} ×, R ${a.rRatio.toFixed(2)} ×`);
  assert.ok(a.vRatio < 1 && a.rRatio < 2, `ddas04 first cycle: V ${a.vRatio.toFixed(2)} ×, R ${a.rRatio.toFixed(2)} ×`);
  const polimi = ingestFiles([M('polimi-siox-1t1r-bianchi2023')], { sweepRateVps: 1 });
  noForming(polimi);
  const b = firstSweep(polimi, 0);
  assert.equal(b.verdict, null);
  t.diagnostic(`polimi first sweep: V ${b.vRatio.toFixed(2)} ×, R ${b.rRatio.toFixed(2)} ×`);
  assert.ok(b.vRatio < 1 && b.rRatio < 2, `polimi first sweep: V ${b.vRatio.toFixed(2)} ×, R ${b.rRatio.toFixed(2)} ×`);
});
