/** `soft-bounds`: the behavioural aihwkit SoftBoundsDevice (src/crossbar/device/softBounds.ts); reads `device.softBounds`. */
import { z } from 'zod';
import { section } from '../../../schema/common.js';
import { SoftBoundsArray } from '../softBounds.js';
import type { DeviceModelDef } from './define.js';

export const softBoundsSectionSchema = section({
  dwMin: z.number().default(0.001).describe('mean weight step of a pulse'),
  dwMinDtod: z.number().default(0.3).describe('device-to-device relative spread of dwMin'),
  dwMinStd: z.number().default(0.3).describe('cycle-to-cycle relative spread of a step'),
  upDown: z.number().default(0).describe('up/down asymmetry'),
  upDownDtod: z.number().default(0.01).describe('device-to-device spread of the asymmetry'),
  wMin: z.number().default(-1.5).describe('lower weight bound'),
  wMax: z.number().default(1.5).describe('upper weight bound'),
  wMinDtod: z.number().default(0.3).describe('device-to-device relative spread of wMin'),
  wMaxDtod: z.number().default(0.3).describe('device-to-device relative spread of wMax'),
}).describe('the soft-bounds device (aihwkit SoftBoundsDevice parameters)');

export type SoftBoundsConfig = z.output<typeof softBoundsSectionSchema>;

export const softBoundsModel: DeviceModelDef<'soft-bounds'> = {
  name: 'soft-bounds',
  summary: 'behavioural soft-bounds device (aihwkit SoftBoundsDevice): the baseline',
  sections: ['softBounds'],
  pulseEngine: false,
  make: ({ config, size, rng }) => new SoftBoundsArray({ size, ...config.device.softBounds }, rng),
};
