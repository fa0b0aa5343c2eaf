import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveFitSettings } from '../../src/fit/index.js';
import { costsAt, createContext, DEFAULT_HIER_OPTIONS, eStep, initScale, startState, type Population } from '../../src/fit/hier/em.js';
import { startCost, takeCost } from '../../src/fit/hier/cost.js';
import { prepareHierCycles } from '../../src/fit/hier/step.js';
import { synthCampaign } from '../../src/fit/hier/study.js';
import { resolveParams } from '../../src/model/index.js';

/** Study campaign of seed 3 (3 × 3, 10 mV): its device D003 (a chain of incomplete RESETs), the hierarchical
 * context, and a population centred on the drawn values. */
function chainCase() {
  const s0 = resolveFitSettings({ mode: 'hierarchical', deviceCycles: 3 });
  const settings = { ...s0, objective: { ...s0.objective, simRelTol: DEFAULT_HIER_OPTIONS.simRelTol } };
  const ctx = createContext(settings, resolveParams(settings.fixed as Record<string, unknown>));
  const { q, p } = ctx;
  const camp = synthCampaign({ devices: 3, cycles: 3, seed: 3, stepV: 0.01 });
  const dev = camp.devices.find((d) => d.id === 'D003')!;
  const truth = camp.truth.filter((t) => t.device === 'D003');
  const named = (o: object) => o as Record<string, number>;
  const U = (o: object) => ctx.layout.space.toU([...ctx.devNames, ...ctx.cycNames].map((n) => named(o)[n]));
  const centres = camp.centres.map((c) => U({ ...camp.truth.find((t) => t.device === c.device)!.params, ...c.params }));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const diag = (s: number[]) => s.map((x, i) => s.map((_, j) => (i === j ? x * x : 0)));
  const pop: Population = {
    mV: Array.from({ length: q }, (_, i) => mean(centres.map((u) => u[i]))),
    omV: diag(ctx.devNames.map((n) => (n === 'RseriesTiOx' ? 0.1 : 0.003))),
    mA: Array.from({ length: p }, (_, i) => mean(centres.map((u) => u[q + i]))),
    omD: diag(ctx.cycNames.map((n) => (n === 'Ndiscmin' ? 0.25 : 0.08))),
    omC: diag(ctx.cycNames.map((n) => (n === 'Ndiscmin' ? 0.1 : 0.03))),
  };
  const cycles = () =>
    prepareHierCycles(
      dev.cycles,
      dev.cycles.map(() => 0.0128),
      settings,
    );
  return { ctx, q, truth, named, U, pop, cycles };
}

// A chain of cycles with incomplete RESETs (issue 16's worst devices): in the study generator's
// campaign of seed 3 (3 devices × 3 cycles, 10 mV steps) device D003's cycles 2 and 3 start from the
// state their predecessor's RESET left, 7.6e-3 and 7.2e-3 against their Ndiscmin of 4.8e-3 and
// 4.7e-3, so a cycle's Ndiscmin acts on the next cycle only through that carried state. The E-step
// starts at the drawn values with cycle 2's Ndiscmin 40 % high and cycle 3's 40 % low, under a
// population made from the drawn values. Reference: the drawn values' own posterior cost, lower than
// the start's. The E-step's LM holds each cycle's start state, so it did not move at all from there;
// the chain window (a cycle refitted with its predecessor, the carried state following) moves
// towards the drawn values.
test('hierarchical E-step: a chain of incomplete RESETs is refitted with the carried state following', () => {
  const { ctx, q, truth, named, U, pop, cycles } = chainCase();
  const factor = [1, 1.4, 0.6];
  const start = (t: object, c: number) =>
    Object.fromEntries([...ctx.devNames, ...ctx.cycNames].map((n) => [n, named(t)[n] * (n === 'Ndiscmin' ? factor[c] : 1)]));
  const st = startState(ctx, {
    id: 'D003',
    cycles: cycles(),
    start: { device: start(truth[0].params, 0), cycles: truth.map((t, c) => start(t.params, c)) },
  });
  initScale(ctx, st);
  // the chain is incomplete where the carried state is above the cycle's Ndiscmin
  assert.ok(st.carried[1]! > truth[1].params.Ndiscmin && st.carried[2]! > truth[2].params.Ndiscmin, 'a chain of incomplete RESETs');
  const uT = truth.map((t) => U(t.params));
  const drawn = costsAt(
    ctx,
    st,
    pop,
    uT[0].slice(0, q),
    uT.map((u) => u.slice(q)),
  ).posterior;
  const before = costsAt(ctx, st, pop, st.v, st.theta).posterior;
  eStep(ctx, st, pop, DEFAULT_HIER_OPTIONS, false);
  const after = costsAt(ctx, st, pop, st.v, st.theta).posterior;
  const k = ctx.cycNames.indexOf('Ndiscmin');
  const err2 = Math.exp(st.theta[1][k] - uT[1][q + k]) - 1;
  console.log(
    `# posterior cost: start ${before.toFixed(4)}, drawn ${drawn.toFixed(4)}, after the E-step ${after.toFixed(4)}; cycle 2 Ndiscmin ${(err2 * 100).toFixed(1)} % off`,
  );
  assert.ok(drawn < before, `drawn ${drawn} against start ${before}`);
  // most of the way to the drawn values' cost (without the chain window: none of it)
  assert.ok(after - drawn < 0.25 * (before - drawn), `after ${after}, drawn ${drawn}, start ${before}`);
  assert.ok(Math.abs(err2) < 0.3, `cycle 2 Ndiscmin ${err2}`);
});

// The same chain at the drawn values, after one E-step: its RESETs are incomplete, but the pairs sit
// at the bottom of their basins, so a window gains less than one unit of χ² (s²). The first cut
// refitted a window at every incomplete RESET (windowStop: false, the default); with windowStop, the
// device being at the campaign's noise (the E-step's poor and above flags off), its windows from its
// own estimate stop after the first that gains so little, and the E-step ends where it did (its
// posterior cost within 1e-4 relative of the default's).
test('hierarchical E-step: chain windows stop after one that gains less than s²', () => {
  const { ctx, truth, pop, cycles } = chainCase();
  const firstCut = { ...DEFAULT_HIER_OPTIONS, windowStop: false };
  const run = (windowStop: boolean) => {
    const st = startState(ctx, {
      id: 'D003',
      cycles: cycles(),
      start: { device: { ...truth[0].params }, cycles: truth.map((t) => ({ ...t.params })) },
    });
    initScale(ctx, st);
    assert.ok(st.carried[1]! > truth[1].params.Ndiscmin && st.carried[2]! > truth[2].params.Ndiscmin, 'a chain of incomplete RESETs');
    eStep(ctx, st, pop, firstCut, false);
    startCost('estep');
    eStep(ctx, st, pop, { ...DEFAULT_HIER_OPTIONS, windowStop }, false);
    const windows = takeCost().windows[1];
    return { windows, cost: costsAt(ctx, st, pop, st.v, st.theta).posterior };
  };
  const first = run(false);
  const now = run(true);
  console.log(
    `# window simulations: first cut ${first.windows}, now ${now.windows}; posterior cost ${first.cost.toFixed(6)} -> ${now.cost.toFixed(6)}`,
  );
  assert.ok(now.windows > 0 && now.windows < first.windows, `window simulations ${now.windows} against ${first.windows}`);
  assert.ok(now.cost < first.cost * (1 + 1e-4), `posterior cost ${now.cost} against ${first.cost}`);
});
