/**
 * `device.jart`: the JART cell of the crossbar (both the aihwkit-jart algorithm and the full model read
 * it; the ideal device takes its weight bounds from it). Defaults are the paper's (Yu et al. 2022): pulses
 * −0.342 V / +0.7065 V, 1 µs; w linear in the read current from −0.6 at N = 0.06 to +0.6 at N = 1.9897
 * (docs/crossbar.md, "Differences to aihwkit 0.6.0").
 */
import { z } from 'zod';
import { section } from '../../../schema/common.js';

/** One varied quantity (aihwkit JARTv1bDevice semantics, spec §8); all 0 = no variation. */
const varSpecSchema = section({
  dtod: z.number().default(0).describe('device-to-device relative sigma, X·(1 + dtod·ξ)'),
  dtodLower: z.number().default(0).describe('absolute lower clip of the d2d draw (0 = none)'),
  dtodUpper: z.number().default(0).describe('absolute upper clip of the d2d draw (0 = none)'),
  std: z.number().default(0).describe('cycle-to-cycle: X ← X·(1 + std·U(−1,1) + ratio·slope·U(−1,1)) after every applied pulse'),
  slope: z.number().default(0).describe('cycle-to-cycle slope term'),
  ctocLower: z.number().default(0).describe('c2c clamp: X_dev·(1 + ctocLower)'),
  ctocUpper: z.number().default(0).describe('c2c clamp: X_dev·(1 + ctocUpper)'),
}).describe('variation of one quantity (d2d and c2c)');

const positiveInt = (what: string) => z.number().int({ error: `an integer ${what}` });

export const jartSectionSchema = section({
  vSetV: z.number().default(-0.342).describe('SET pulse voltage (V)'),
  vResetV: z.number().default(0.7065).describe('RESET pulse voltage (V)'),
  widthS: z.number().default(1e-6).describe('pulse width (s)'),
  dtS: z.number().positive().default(1e-8).describe('integration step of a pulse (s); widthS/dtS ≤ 1e5'),
  vReadV: z.number().default(0.2).describe('read voltage of the weight mapping (V)'),
  nLo: z.number().default(0.06).describe('mapping: weight wMin at N = nLo (1e26 m^-3), linear in the read current'),
  nHi: z.number().default(1.9897452127440085).describe('mapping: weight wMax at N = nHi'),
  wMin: z.number().default(-0.6).describe('mapping: weight at nLo'),
  wMax: z.number().default(0.6).describe('mapping: weight at nHi'),
  wBoundMin: z
    .number()
    .default(-1.5)
    .describe('device weight bound (aihwkit w_min): N is clamped after a pulse to the N of this weight; = wMin: the clamp nLo'),
  wBoundMax: z.number().default(1.5).describe('device weight bound (aihwkit w_max); = wMax: the clamp nHi'),
  rthScaling: z
    .enum(['area', 'none'])
    .default('area')
    .describe("aihwkit-jart only: thermal resistance of a device of radius r, 'area' Rth0·(r_nom/r)² or 'none' Rth0"),
  engine: z.enum(['table', 'exact']).default('table').describe("per-pulse engine: 'table' (ln ΔN(N, r) table, fast) or 'exact'"),
  tablePoints: positiveInt('≥ 2').min(2).default(2049).describe('points of the table N axis'),
  tableRadii: positiveInt('≥ 1').min(1).default(49).describe('points of the table radius axis'),
  tableLengths: positiveInt('≥ 1')
    .min(1)
    .default(5)
    .describe('points of the table ln l axis when the disc length varies; 1 = 1/l scaling + exact large pulses'),
  nominal: section({
    rM: z.number().default(45e-9).describe('filament radius (m)'),
    lM: z.number().default(0.4e-9).describe('disc length (m)'),
    nMin: z.number().default(0.008).describe('lower N bound (1e26 m^-3)'),
    nMax: z.number().default(20).describe('upper N bound (1e26 m^-3)'),
  }).describe('the nominal (mean) device'),
  variability: section({
    Ndiscmax: varSpecSchema,
    Ndiscmin: varSpecSchema,
    ldisc: varSpecSchema,
    rdisc: varSpecSchema,
    wBounds: varSpecSchema,
  }).describe('device-to-device and cycle-to-cycle variation of the N bounds, geometry and weight bounds'),
  kineticClasses: positiveInt('1..256')
    .min(1)
    .max(256)
    .default(64)
    .describe('full model with a population whose kinetics vary: the number of kinetic classes (one pulse engine each)'),
  nWindow: z
    .enum(['config', 'device'])
    .default('config')
    .describe(
      "full model: 'config' maps the weights on nLo … nHi; 'device' at the paper's relative ln N positions of the device's own N bounds",
    ),
  pulseMatch: positiveInt('≥ 0')
    .min(0)
    .default(0)
    .describe('full model: > 0 chooses vSetV and vResetV so a full swing of the nominal device takes this many pulses each way'),
})
  .check((ctx) => {
    const j = ctx.value;
    const issue = (path: string, message: string): void => {
      ctx.issues.push({ code: 'custom', path: [path], message, input: j });
    };
    if (!(j.nLo > 0 && j.nHi > j.nLo)) issue('nLo', '0 < nLo < nHi');
    if (!(j.wMax > j.wMin)) issue('wMin', 'wMin < wMax');
    if (!(j.wBoundMax > j.wBoundMin)) issue('wBoundMin', 'wBoundMin < wBoundMax');
    if (j.widthS / j.dtS > 1e5) issue('dtS', 'widthS/dtS ≤ 1e5');
  })
  .describe('the JART cell: pulses, weight mapping, nominal device, variability, engine');

export type JartDeviceConfig = z.output<typeof jartSectionSchema>;
