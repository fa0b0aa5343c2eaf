/** Parameter files: `{"model": "jart-vcm-v1b", "params": {NAME: value, ...}}`; ranges are checked by the model's resolveParams. */
import { z } from 'zod';
import { paramValues } from './common.js';

export const MODEL_ID = 'jart-vcm-v1b';

export const paramFileSchema = z
  .looseObject({
    model: z.literal(MODEL_ID).describe(`\`"${MODEL_ID}"\``),
    params: paramValues
      .default({})
      .describe(
        "parameter values by JART name (spec §4, units of §13); missing names take the defaults, within each parameter's valid range",
      ),
  })
  .describe('a JART VCM v1b parameter set');
