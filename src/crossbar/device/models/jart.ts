/**
 * The two JART device models, both on `device.jart` and a pulse engine: `aihwkit-jart`, the aihwkit
 * JARTv1bDevice algorithm (its fitted current, the paper's), and `jart`, the full compact model
 * (src/model) per pulse. With a population, the devices are the population sampler's.
 */
import { JartcalError } from '../../../util/errors.js';
import { JartArray } from '../jartArray.js';
import { drawDevices } from '../population.js';
import type { DeviceContext, DeviceModelDef } from './define.js';
import type { DeviceArray } from '../types.js';

function makeJart({ config, size, rng, engine, clamp, clampOf, kinetic, ranges, lMaxM, amplitude }: DeviceContext): DeviceArray {
  if (!engine) throw new JartcalError('internal: no pulse engine for a JART device');
  const j = config.device.jart;
  const pop = config.device.population;
  const [nClampLo, nClampHi] = clamp ?? [j.nLo, j.nHi];
  // a population: the devices are the population sampler's, from their own stream
  const perDevice = pop && ranges ? drawDevices(pop, size, rng.fork(0x909), j.nominal, ranges, kinetic?.classes ?? null) : undefined;
  return new JartArray(
    {
      size,
      engine,
      nLo: j.nLo,
      nHi: j.nHi,
      wMin: j.wMin,
      wMax: j.wMax,
      nClampLo,
      nClampHi,
      wBoundMin: j.wBoundMin,
      wBoundMax: j.wBoundMax,
      clampOf,
      nominal: j.nominal,
      variability: j.variability,
      perDevice,
      engines: kinetic?.engines,
      lMaxM,
      ...(amplitude ? { amplitude } : {}),
    },
    rng,
  );
}

export const aihwkitJartModel: DeviceModelDef<'aihwkit-jart'> = {
  name: 'aihwkit-jart',
  summary: "the aihwkit JARTv1bDevice algorithm (the paper's): fitted read current, Euler pulses",
  sections: ['jart'],
  pulseEngine: true,
  check(c, issue) {
    const j = c.device.jart;
    if (j.nWindow !== 'config')
      issue(['device', 'jart', 'nWindow'], '"config" (nWindow "device" applies to the full model, device.model "jart", only)');
    if (j.pulseMatch > 0) issue(['device', 'jart', 'pulseMatch'], '0 (pulseMatch applies to the full model, device.model "jart", only)');
  },
  make: makeJart,
};

export const jartModel: DeviceModelDef<'jart'> = {
  name: 'jart',
  summary: 'the full JART VCM v1b compact model per pulse (src/model); its own heating, populations with varying kinetics',
  sections: ['jart'],
  pulseEngine: true,
  check(c, issue) {
    if (c.device.jart.rthScaling !== 'area')
      issue(
        ['device', 'jart', 'rthScaling'],
        `"area" ("${c.device.jart.rthScaling}" applies to device.model "aihwkit-jart" only: the full model computes its own heating)`,
      );
  },
  make: makeJart,
};
