/**
 * Every transient case of ../shared/jart/reference against the model (spec §9 tolerances):
 * the voltage where N crosses sqrt(Nmin·Nmax) within ±2 mV on SET and RESET, the current within 1 %
 * outside the samples where the state switches, N at every read of a pulse train within 1 %.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../src/model/index.js';
import { crossingVoltage, referenceCases } from './refdata.js';

for (const c of referenceCases()) {
  test(`reference case ${c.name}`, () => {
    const r = simulate(c.p, c.wave);
    const ref = c.ref;
    assert.equal(r.iA.length, ref.length);
    const thr = Math.sqrt(c.p.Ndiscmin * c.p.Ndiscmax);
    const refN = ref.map((x) => x[3]);
    const refV = ref.map((x) => x[1]);
    for (const up of [true, false]) {
      const vRef = crossingVoltage(refN, refV, thr, up);
      if (Number.isNaN(vRef)) continue;
      const v = crossingVoltage(r.ndisc, r.vV, thr, up);
      assert.ok(Math.abs(v - vRef) <= 2e-3, `${up ? 'SET' : 'RESET'} crossing ${v} V vs ${vRef} V`);
    }
    let checked = 0;
    for (let k = 0; k < ref.length; k++) {
      const [, vV, iA, n] = ref[k];
      const switching = k > 0 && Math.abs(Math.log(n / ref[k - 1][3])) > 0.01;
      if (!switching && iA !== 0) {
        assert.ok(Math.abs(r.iA[k] / iA - 1) <= 0.01, `sample ${k} (V=${vV}): I ${r.iA[k]} vs ${iA}`);
        checked++;
      }
      if (iA === 0) assert.equal(r.iA[k], 0, `sample ${k}: I at V = 0`);
    }
    assert.ok(checked > ref.length / 3, 'most samples compared');
    // pulse trains: reads are the flat non-switching parts; N at each read point within 1 %
    if (c.name.startsWith('pulses')) {
      let reads = 0;
      for (let k = 1; k < ref.length; k++) {
        const isRead = ref[k][1] > 0 && ref[k][1] === ref[k - 1][1] && ref[k][3] === ref[k - 1][3];
        if (!isRead) continue;
        reads++;
        assert.ok(Math.abs(r.ndisc[k] / ref[k][3] - 1) <= 0.01, `read at sample ${k}: N ${r.ndisc[k]} vs ${ref[k][3]}`);
      }
      assert.ok(reads >= 10, `found ${reads} reads`);
    }
  });
}
