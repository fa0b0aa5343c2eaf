/** The device-model registry is the one list: the config schema accepts exactly its names, and each name builds devices. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { DEVICE_MODELS, DEVICE_MODEL_NAMES, DEVICE_SECTIONS } from '../../src/crossbar/device/models/registry.js';
import { experimentConfigSchema } from '../../src/schema/experiment.js';
import { resolveConfig } from '../../src/crossbar/experiment/config.js';
import { createEngine, deviceMaker } from '../../src/crossbar/device/factory.js';
import { createRng } from '../../src/util/rng.js';

type Js = { properties?: Record<string, Js>; enum?: string[] };

test("the config schema's device.model accepts exactly the registry's names", () => {
  const js = z.toJSONSchema(experimentConfigSchema, { io: 'input', unrepresentable: 'any' }) as Js;
  const device = js.properties!.device;
  assert.deepEqual([...device.properties!.model.enum!].sort(), [...DEVICE_MODEL_NAMES].sort());
  assert.deepEqual(
    DEVICE_MODELS.map((m) => m.name),
    DEVICE_MODEL_NAMES,
  );
  assert.equal(new Set(DEVICE_MODEL_NAMES).size, DEVICE_MODEL_NAMES.length);
  // every section a model reads is a section of the config, with its defaults
  for (const m of DEVICE_MODELS) for (const s of m.sections) assert.ok(s in DEVICE_SECTIONS && s in device.properties!, `${m.name}: ${s}`);
  assert.throws(
    () => resolveConfig({ device: { model: 'memristor' } }, 'x.json'),
    /x\.json: device\.model: expected one of aihwkit-jart, jart/,
  );
  assert.equal(resolveConfig({}).device.model, DEVICE_MODEL_NAMES[0]);
});

test('every registered model builds a tile of devices that pulses', () => {
  for (const name of DEVICE_MODEL_NAMES) {
    const c = resolveConfig({ device: { model: name, jart: { tablePoints: 65, tableRadii: 1 } } });
    const model = DEVICE_MODELS.find((m) => m.name === name)!;
    const engine = model.pulseEngine ? createEngine(c) : null;
    const d = deviceMaker(c, engine, createRng(1), 0)(4, 0);
    assert.equal(d.size, 4, name);
    const w0 = d.weight(0);
    d.pulse(0, 5);
    assert.ok(d.weight(0) > w0, `${name}: a SET pulse raises the weight (${w0} -> ${d.weight(0)})`);
  }
});
