/**
 * The known population and sweep that the refinement and replay tests simulate their "measured" devices from
 * (rnew, lnew, Ndiscmin lognormal with d2d and c2c spreads; ±1.3 V, 1 V/s, 20 mV steps, read at 0.2 V).
 */
import { POPULATION_SCHEMA, type PopulationFile, type SweepConditions } from '../../src/population/index.js';

export const TRUTH: PopulationFile = {
  schema: POPULATION_SCHEMA,
  toolkitVersion: 'test',
  createdAt: '2026-01-01T00:00:00Z',
  seed: 1,
  provenance: { fits: [], datasets: [] },
  base: {},
  parameters: {
    rnew: { family: 'lognormal', d2d: { center: 45e-9, spread: 0.1, spreadKind: 'ln' }, c2c: { spread: 0.03, spreadKind: 'ln' } },
    lnew: { family: 'lognormal', d2d: { center: 0.4e-9, spread: 0.05, spreadKind: 'ln' }, c2c: { spread: 0.02, spreadKind: 'ln' } },
    Ndiscmin: { family: 'lognormal', d2d: { center: 0.008, spread: 0.2, spreadKind: 'ln' }, c2c: { spread: 0.1, spreadKind: 'ln' } },
  },
  correlation: { params: [], matrix: [] },
};

export const SWEEP: SweepConditions = { vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.02, readVoltageV: 0.2, complianceA: null };
