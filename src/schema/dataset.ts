/** dataset.json, schema `jartcal.dataset/2` (reads /1): the ingest stage's normalised cycles. */
import { z } from 'zod';
import { DATASET_SCHEMAS_READ } from '../ingest/types.js';

const finite = z.number({ error: 'a finite number' });
const samples = (what: string) => z.array(finite).describe(what);
const numberOrNull = z.number({ error: 'a finite number or null' }).nullable();

const provenanceSchema = z
  .looseObject({
    file: z.string().describe('source file'),
    sheet: z.string().optional().describe('workbook sheet'),
    rowStart: z.number().describe('first row: 1-based file line (text) or sheet row number (workbooks)'),
    rowEnd: z.number().describe('last row'),
  })
  .describe('where samples came from');

const featuresSchema = z
  .looseObject({
    vSetV: numberOrNull.optional().describe('SET voltage (model convention), V'),
    vResetV: numberOrNull.optional().describe('RESET voltage, V'),
    readVoltageV: finite.optional().describe('|V| at which HRS and LRS are read'),
    hrsOhm: numberOrNull.optional().describe('HRS at the read voltage, Ω'),
    lrsOhm: numberOrNull.optional().describe('LRS at the read voltage, Ω'),
    onOff: numberOrNull.optional().describe('HRS/LRS'),
    resetPeakA: numberOrNull.optional().describe('peak |I| of the RESET branch, A'),
    complianceHit: z.boolean().optional().describe('the SET branch reached the compliance'),
  })
  .describe('switching features of the cycle (docs/ingest.md)');

const datasetCycleSchema = z
  .looseObject({
    device: z.string().optional().describe("device id (default: the device's)"),
    cycle: z.int({ error: 'an integer' }).describe('1-based index within the device'),
    sourceCycle: z.number().optional().describe('the cycle number the file states (sheet "Cycle10", Count, cycle column)'),
    tS: samples('time, s, from 0 (default: the sample index)').optional(),
    timeSource: z
      .enum(['file', 'sweep-rate', 'index'])
      .default('index')
      .describe('from the file / rebuilt from a sweep rate / sample index (1 s per point)'),
    sweepRateVps: finite.optional().describe('the sweep rate the time was rebuilt from, V/s'),
    sweepRateSource: z.enum(['option', 'stated']).optional().describe('`--sweep-rate` or the file header'),
    timeGenerated: z.boolean().optional().describe("the file's time column was synthesised by the instrument software"),
    vV: samples('voltage, V, model convention: SET at negative V'),
    iA: samples('current, A: sign(vV)·|I measured|'),
    complianceA: numberOrNull.default(null).describe('compliance in effect on the SET side, A (null: none)'),
    complianceSource: z.enum(['metadata', 'plateau', 'option', 'off', 'none']).optional().describe("'off': the file states none"),
    complianceEvidence: z
      .looseObject({
        method: z.string().describe('`smu-plateau` or `saturating-set`'),
        confidence: z.string().describe('`high` or `medium`'),
        detail: z.string().describe('a sentence'),
      })
      .optional()
      .describe('how a compliance read from the data was found'),
    branch: z.array(z.int()).optional().describe('0 SET out, 1 SET back, 2 RESET out, 3 RESET back, -1 at 0 V (absent: not labelled)'),
    features: featuresSchema.optional(),
    provenance: provenanceSchema.optional().describe('the first source part'),
    parts: z.array(provenanceSchema).optional().describe('every source part when SET and RESET halves were joined'),
    currentFloorA: finite.optional().describe('resolution estimate, A'),
  })
  .check((ctx) => {
    const c = ctx.value;
    for (const f of ['iA', 'tS', 'branch'] as const) {
      const a = c[f];
      if (a !== undefined && a.length !== c.vV.length)
        ctx.issues.push({ code: 'custom', input: a, path: [f], message: `${c.vV.length} values, as many as vV (got ${a.length})` });
    }
  })
  .transform((c) => ({
    ...c,
    tS: c.tS ?? c.vV.map((_, k) => k),
    timeSource: c.tS ? c.timeSource : ('index' as const),
  }))
  .describe('one normalised cycle');

const testSchema = z
  .looseObject({
    role: z.enum(['leakage', 'forming', 'first-reset', 'endurance', 'other']).describe('what the run was'),
    file: z.string().describe('source file'),
    sheet: z.string().optional().describe('workbook sheet'),
    startTime: z.string().optional().describe('ISO time the run was recorded'),
    used: z.boolean().describe('its sweeps made (part of) the cycles'),
    reason: z.string().optional().describe('why it has this role / why it was left out'),
  })
  .describe('one run read for the device');

const datasetDeviceSchema = z
  .looseObject({
    id: z.string().describe('device id'),
    setPolarity: z
      .enum(['positive', 'negative'])
      .optional()
      .describe('sign of the APPLIED voltage that SETs the device, as measured (written by ingest)'),
    polaritySource: z.enum(['detected', 'option', 'stated']).optional().describe("'stated': the file says so (wins over the data)"),
    complianceA: numberOrNull.default(null).describe("median of the cycles' compliance, A"),
    cycles: z.array(datasetCycleSchema).describe('its cycles'),
    metadata: z.record(z.string(), z.string()).default({}).describe('file metadata, polarityEvidence, columns used'),
    tests: z.array(testSchema).optional().describe('/2: every run read, in acquisition order'),
    formingV: numberOrNull.optional().describe('/2: applied voltage where the forming sweep switched'),
    pristineOhm: numberOrNull.optional().describe('/2: resistance before forming, Ω'),
    pairing: z
      .array(
        z.looseObject({
          cycle: z.int().describe('the cycle it made'),
          set: provenanceSchema.optional(),
          reset: provenanceSchema.optional(),
          whole: provenanceSchema.optional(),
          by: z
            .enum(['cycle-label', 'time', 'order', 'whole', 'unpaired'])
            .describe('equal cycle numbers / time stamps / file and run order / one sweep held the cycle / a half with no partner'),
        }),
      )
      .optional()
      .describe('/2: which halves made each cycle, and how they were matched'),
  })
  .transform((d) => ({ ...d, cycles: d.cycles.map((c) => ({ ...c, device: c.device ?? d.id })) }))
  .describe('one device');

export const datasetSchema = z
  .looseObject({
    schema: z
      .enum(DATASET_SCHEMAS_READ)
      .describe('`"jartcal.dataset/2"` (written); `"jartcal.dataset/1"` (read: /2 without the test-sequence fields)'),
    toolkitVersion: z.string().default('').describe('jartcal version that wrote the file'),
    createdAt: z.string().default('').describe('ISO time of writing'),
    options: z.looseObject({}).default({}).describe('every ingest option as resolved'),
    files: z.array(z.string()).default([]).describe('input files in the order read'),
    issues: z
      .array(
        z.looseObject({
          code: z
            .string()
            .describe('`dropped_row`, `skipped_file`, `skipped_pulse_train`, `duplicate_measurement`, `polarity_disagrees`, ...'),
          message: z.string().describe('a sentence for the user'),
          location: z.looseObject({}).optional().describe('file, line, column, sheet, cell'),
        }),
      )
      .default([])
      .describe('notes: dropped rows, skipped files, sheets and tests, copies, disagreements'),
    devices: z.array(datasetDeviceSchema).describe('the devices'),
  })
  .describe('a normalised dataset');

export type DatasetData = z.output<typeof datasetSchema>;
