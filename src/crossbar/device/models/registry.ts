/**
 * The crossbar device models: the one list the config schema (device.model, the device sections and
 * their defaults), the factory and the checks derive from. A new model: a file in this folder
 * (src/crossbar/device/models/define.ts) and a line here.
 */
import { jartSectionSchema } from './jart-section.js';
import { softBoundsSectionSchema } from './soft-bounds.js';
import { aihwkitJartModel, jartModel } from './jart.js';
import { softBoundsModel } from './soft-bounds.js';
import { idealModel } from './ideal.js';
import type { DeviceModelDef } from './define.js';

/** Every model, the default first. */
export const DEVICE_MODELS = [aihwkitJartModel, jartModel, softBoundsModel, idealModel] as const;

export type DeviceModel = (typeof DEVICE_MODELS)[number]['name'];

export const DEVICE_MODEL_NAMES = DEVICE_MODELS.map((m) => m.name) as [DeviceModel, ...DeviceModel[]];

/** The `device` sections the models read, by key. */
export const DEVICE_SECTIONS = { jart: jartSectionSchema, softBounds: softBoundsSectionSchema };

export function deviceModel(name: string): DeviceModelDef {
  const m = DEVICE_MODELS.find((d) => d.name === name);
  if (!m) throw new Error(`internal: unknown device model "${name}"`);
  return m;
}
