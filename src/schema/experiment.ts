/**
 * The crossbar experiment config (`jartcal crossbar --config FILE`, the files under experiments/): every
 * field optional with its default (the paper's, Yu et al. 2022: 784-256-128-10 sigmoid MLP, zero init,
 * lr 0.05 halved every 10 epochs, batch 32, aihwkit IO/update defaults, digital bias). Unknown keys are
 * refused; keys starting with `$` and `comment` are notes and ignored. The device models and their
 * sections come from the registry (src/crossbar/device/models/registry.ts).
 */
import { z } from 'zod';
import { section, unknownKeyError } from './common.js';
import { readPopulation } from '../population/schema.js';
import { AIHWKIT_BACKWARD, AIHWKIT_FORWARD, type IOParams } from '../crossbar/periphery/io.js';
import { AIHWKIT_UPDATE } from '../crossbar/train/pulseUpdate.js';
import { DEVICE_MODELS, DEVICE_MODEL_NAMES, DEVICE_SECTIONS } from '../crossbar/device/models/registry.js';
import type { CrossbarPopulation } from '../crossbar/device/population.js';

const posInt = z.number().int({ error: 'a positive integer' }).min(1, { error: 'a positive integer' });

function ioSchema(d: IOParams, what: string) {
  return section({
    isPerfect: z.boolean().default(d.isPerfect).describe('no noise, bounds or quantisation'),
    inpBound: z.number().default(d.inpBound).describe('input bound'),
    inpRes: z.number().default(d.inpRes).describe('input resolution (step)'),
    outBound: z.number().default(d.outBound).describe('output bound'),
    outRes: z.number().default(d.outRes).describe('output resolution (step)'),
    outNoise: z.number().default(d.outNoise).describe('additive Gaussian output noise'),
    wNoise: z.number().default(d.wNoise).describe('additive Gaussian weight (read) noise, weight units, as σ_w·‖x‖'),
    noiseManagement: z.enum(['abs_max', 'none']).default(d.noiseManagement).describe('input scaling'),
    boundManagement: z.enum(['iterative', 'none']).default(d.boundManagement).describe('repeat with smaller input on output saturation'),
    maxBmFactor: z.number().default(d.maxBmFactor).describe('largest bound-management reduction'),
    maxBmRes: z.number().default(d.maxBmRes).describe('bound-management resolution limit'),
  }).describe(`${what} pass periphery (aihwkit IOParameters)`);
}

const population = z
  .custom<CrossbarPopulation>(
    (p) => p !== null && typeof p === 'object' && !Array.isArray(p) && typeof (p as { file?: unknown }).file === 'string',
    {
      error: 'null or {file, base, parameters, correlation}',
    },
  )
  .nullable()
  .default(null)
  .describe(
    'devices drawn from a population (set by `--population`): its file, base, parameters and correlation; null: the variability above',
  );

export const experimentConfigSchema = z
  .strictObject(
    {
      name: z.string().default('unnamed').describe('experiment name (results, plots)'),
      description: z.string().default('').describe('free text'),
      seed: z.number().default(1).describe('seed of every random draw'),
      mode: z
        .enum(['in-situ', 'digital', 'inference'])
        .default('in-situ')
        .describe(
          'in-situ: pulsed training on the devices; digital: FP baseline; inference: digital training, programming, analog inference',
        ),
      network: section({
        sizes: z.array(z.number()).default([784, 256, 128, 10]).describe('layer sizes, [784, ..., 10] for MNIST'),
        bias: z.boolean().default(true).describe('layers have a bias'),
        digitalBias: z
          .boolean()
          .default(true)
          .describe('the bias is a float added after the analog MVM (aihwkit 0.6.0 default), else a tile column'),
        init: z.enum(['zero', 'uniform']).default('zero').describe('weight initialisation'),
      }).describe('the MLP (sigmoid)'),
      training: section({
        epochs: posInt.default(30),
        batchSize: posInt.default(32),
        lr: z.number().positive().default(0.05).describe('learning rate'),
        lrStepEpochs: z.number().default(10).describe('the learning rate is multiplied by lrGamma every this many epochs'),
        lrGamma: z.number().default(0.5),
        trainSamples: posInt.max(60000, { error: 'at most 60000 (MNIST training samples)' }).default(60000),
        testSamples: posInt.max(10000, { error: 'at most 10000 (MNIST test samples)' }).default(10000),
        repeats: posInt.default(1).describe('independent repeats (device draws)'),
        shuffle: z.boolean().default(true),
      }).describe('training schedule'),
      tile: section({
        maxInputSize: z.number().default(512),
        maxOutputSize: z.number().default(512),
      }).describe('largest tile; larger layers are split'),
      device: section({
        model: z
          .enum(DEVICE_MODEL_NAMES)
          .default(DEVICE_MODEL_NAMES[0])
          .describe(`the device model: ${DEVICE_MODELS.map((m) => `\`${m.name}\`, ${m.summary}`).join('; ')}`),
        ...DEVICE_SECTIONS,
        population,
      }).describe('the device model and its sections'),
      mapping: section({
        kind: z.enum(['single-device', 'differential-pair']).default('single-device'),
        weightScale: z.number().default(1),
        pairZero: z
          .enum(['low', 'mid'])
          .default('low')
          .describe("differential pair: 'low' = w 0 at both devices' g = 0 (in-situ); 'mid' = at g = ½ on both (write-verify)"),
      }).describe('weights on devices'),
      forward: ioSchema(AIHWKIT_FORWARD, 'forward'),
      backward: ioSchema(AIHWKIT_BACKWARD, 'backward'),
      update: section({
        desiredBL: z.number().min(1).max(32).default(AIHWKIT_UPDATE.desiredBL).describe('pulse train length (1..32)'),
        updateBLManagement: z.boolean().default(AIHWKIT_UPDATE.updateBLManagement),
        updateManagement: z.boolean().default(AIHWKIT_UPDATE.updateManagement),
        dwMin: z.number().positive().default(AIHWKIT_UPDATE.dwMin).describe('weight step a pulse stands for'),
      }).describe('stochastic pulse update (aihwkit UpdateParameters)'),
      program: section({
        method: z
          .enum(['write-verify', 'open-loop', 'ideal'])
          .default('write-verify')
          .describe('inference: how the weights are programmed'),
        tolerance: z.number().default(0.02),
        maxPulses: z.number().default(20000),
        pulsesPerStep: z.number().default(1),
        ramp: z
          .enum(['none', 'width', 'amplitude'])
          .default('none')
          .describe(
            "write-verify pulse shape: 'none' = the configured pulse, in bursts; 'width' = one pulse at a time whose width the programmer chooses per device from its response, within widthRange × the configured width; 'amplitude' = width ramping, and per device and polarity an amplitude raised for a device too slow at the longest pulse and lowered for one that steps over the band at the shortest, within amplitudeRange × the configured amplitude and below the model's validity ceiling",
          ),
        widthRange: z
          .array(z.number())
          .default([0.001, 1000])
          .refine((wr) => wr.length === 2 && wr[0] > 0 && wr[0] <= 1 && wr[1] >= 1, 'expected [min, max] with 0 < min ≤ 1 ≤ max')
          .describe('range of the width factor of ramped write-verify'),
        amplitudeRange: z
          .array(z.number())
          .default([0.5, 2])
          .refine((ar) => ar.length === 2 && ar[0] > 0 && ar[0] <= 1 && ar[1] >= 1, 'expected [min, max] with 0 < min ≤ 1 ≤ max')
          .describe("ramp 'amplitude': range of the amplitude factor (on the configured SET and RESET amplitudes)"),
        amplitudeStep: z
          .number()
          .default(1.1)
          .refine((x) => x > 1 && x <= 2, 'expected a ratio in (1, 2]')
          .describe("ramp 'amplitude': ratio between neighbouring amplitudes of the ladder"),
        window: z
          .enum(['clamp', 'device'])
          .default('clamp')
          .describe(
            "inference: the N range a device is programmed in; 'clamp' = the weight bounds' N clamp (as in training), 'device' = the device's own N bounds (a write-verify controller has no peripheral clamp)",
          ),
      }).describe('inference: programming'),
      wire: section({
        rWireOhm: z.number().min(0).default(0).describe('wire resistance per segment (Ω)'),
        vReadV: z.number().default(0.2).describe('read voltage of the wire solve (V)'),
        iterations: z.number().default(500),
        tol: z.number().default(1e-9),
        sweepOhm: z.array(z.number().positive()).default([]).describe('inference: further wire resistances evaluated on the same draw'),
        compensation: z
          .enum(['none', 'column-gain'])
          .default('none')
          .describe("IR-drop compensation: 'column-gain' scales each column by its one-vector calibration"),
      }).describe('wire resistance (IR drop)'),
    },
    unknownKeyError([
      'name',
      'description',
      'seed',
      'mode',
      'network',
      'training',
      'tile',
      'device',
      'mapping',
      'forward',
      'backward',
      'update',
      'program',
      'wire',
    ]),
  )
  .check((ctx) => {
    const c = ctx.value as unknown as ExperimentConfig;
    const issue = (path: (string | number)[], message: string): void => {
      ctx.issues.push({ code: 'custom', path, message, input: c });
    };
    const sizes = c.network.sizes;
    if (sizes.length < 2 || sizes[0] !== 784 || sizes[sizes.length - 1] !== 10) issue(['network', 'sizes'], '[784, ..., 10] for MNIST');
    if (c.wire.sweepOhm.length && c.mode !== 'inference')
      issue(['wire', 'sweepOhm'], 'no sweep: a wire-resistance sweep is evaluated in inference mode only');
    if (c.mode === 'inference' && c.program.method === 'open-loop' && c.network.init !== 'zero')
      issue(['program', 'method'], 'network.init "zero" with open-loop programming (it counts its pulses from the zero-init state)');
    const pop = c.device.population;
    if (pop)
      try {
        readPopulation(
          { schema: 'jartcal.population/1', base: pop.base, parameters: pop.parameters, correlation: pop.correlation },
          pop.file,
        );
      } catch (e) {
        issue(['device', 'population'], `a population (from ${pop.file}): ${(e as Error).message}`);
      }
    for (const m of DEVICE_MODELS) if (m.name === c.device.model) m.check?.(c, issue);
  })
  .describe('a crossbar experiment');

export type ExperimentConfig = z.output<typeof experimentConfigSchema>;
