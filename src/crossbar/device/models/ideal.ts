/** `ideal`: the weight stored exactly, a pulse moves it by ±update.dwMin within device.jart's weight bounds. */
import { IdealArray } from '../ideal.js';
import type { DeviceModelDef } from './define.js';

export const idealModel: DeviceModelDef<'ideal'> = {
  name: 'ideal',
  summary: 'ideal device: exact weights, steps of update.dwMin within device.jart.wBoundMin … wBoundMax',
  sections: ['jart'],
  pulseEngine: false,
  make: ({ config, size }) => new IdealArray(size, config.update.dwMin, config.device.jart.wBoundMin, config.device.jart.wBoundMax),
};
