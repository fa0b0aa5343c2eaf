/**
 * What the hierarchical fit adds to fits.json (schema jartcal.fits/2; everything here is optional,
 * so a jartcal.fits/1 reader that ignores unknown fields still reads the per-cycle records):
 *  - cycles[].ci95, devices[].ci95: 95 % intervals `{name: [low, high]}` in the units of `params`
 *    (posterior intervals with the population prior, symmetric in the fit's transformed space: ln
 *    for positive parameters, so asymmetric in parameter units; where that linearisation misleads,
 *    profile-likelihood ends instead);
 *  - cycles[].ci95Method, devices[].ci95Method: per interval `posterior` or `profile`;
 *  - devices[].cycleMean / cycleMeanCi95: the device's mean of its cycle-level parameters
 *    (geometric mean for ln-space parameters) and its interval; devices[].shrinkage: per parameter
 *    1 − posterior variance / population variance (0 = the data alone, 1 = the population alone);
 *  - `population`: the block below.
 */

/** One parameter's population-level estimates. Spreads are standard deviations in `space` units. */
export interface HierParamPopulation {
  /** 'ln': spreads are σ of ln x (x > 0); 'linear': of x / scale with `scale` in parameter units. */
  space: 'ln' | 'linear';
  scale?: number;
  /** Where the parameter varies: campaign (shared by every device), device (d2d only), cycle (d2d + c2c). */
  level: 'campaign' | 'device' | 'cycle';
  /** Population centre in parameter units (the median for 'ln') and its 95 % interval. */
  mean: number;
  meanCi95: [number, number];
  /** Device-to-device spread (for cycle-level parameters: of the device means) and its 95 % interval. */
  d2dSd: number;
  d2dSdCi95: [number, number];
  /** Cycle-to-cycle spread within a device (cycle-level parameters only). */
  c2cSd?: number;
  c2cSdCi95?: [number, number];
}

export interface HierPopulationBlock {
  method: 'laplace-em';
  /** Parameters by level (a device-level parameter whose spread came out at the floor is 'campaign'). */
  levels: { campaign: string[]; device: string[]; cycle: string[] };
  parameters: Record<string, HierParamPopulation>;
  /** Correlations in `space` units: between devices of the device-level parameters, between devices
   *  of the cycle-level device means, and from cycle to cycle within a device. */
  correlation: {
    device: { params: string[]; matrix: number[][] };
    d2d: { params: string[]; matrix: number[][] };
    c2c: { params: string[]; matrix: number[][] };
  };
  /** The campaign's noise floor: lower quartile of the per-cycle RMS, decades; cycles above
   *  `aboveFloorFactor` × it are flagged `above_noise_floor`. */
  noiseFloorLog10: number;
  aboveFloorFactor: number;
  devices: number;
  cycles: number;
  passes: number;
  converged: boolean;
  seconds: number;
}
