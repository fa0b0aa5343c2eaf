/**
 * Every file format jartcal reads or writes, in the order docs/formats.md lists them: a title, the
 * prose a user needs, and the schema its field table is generated from (`npm run docs:formats`).
 * Edit here, not in docs/formats.md.
 */
import type { z } from 'zod';
import { fitsSchema } from './fits.js';
import { populationSchema } from './population.js';
import { crossbarCheckpointSchema, fitCheckpointLineSchema, inferenceCheckpointSchema, refineCheckpointSchema } from './checkpoint.js';
import { gridSchema, sweepCheckpointSchema, sweepStateSchema, sweepSummarySchema } from './sweep.js';
import { pipelineManifestSchema } from './pipeline.js';
import { paramFileSchema } from './params.js';
import { datasetSchema } from './dataset.js';
import { profileSchema } from './profile.js';
import { experimentConfigSchema } from './experiment.js';
import { crossbarResultsSchema } from './crossbar-results.js';
import { queueJobKinds } from './job.js';

export interface FormatDoc {
  title: string;
  about: string;
  schemas: { name: string; schema: z.ZodType }[];
}

export const FORMATS_INTRO = `Every JSON file jartcal writes carries a \`schema\` field (\`jartcal.NAME/MAJOR\`) and \`toolkitVersion\`,
and is written atomically (temporary file + rename). A reader refuses a schema it does not know.`;

export const FORMATS: FormatDoc[] = [
  {
    title: `Parameter file (input and output)`,
    about: `\`{"model": "jart-vcm-v1b", "params": {NAME: value, ...}}\`. Names and units are those of the JART
Verilog-A (shared spec §4/§13): lengths in metres, N in 1e26 m^-3, energies in eV, resistances in Ω.
Missing names take the defaults; \`Ninit\` is the initial state; \`rnew\`/\`lnew\` (v1b var) default to
\`rdet\`/\`ldet\`. See \`docs/model.md\` for the table. \`presets/params/default.json\` is an example holding
every parameter at its default. Where a command takes a parameter file (\`jartcal simulate --params\`),
it also takes a population file or preset name and uses its central device (below).`,
    schemas: [{ name: 'parameter file', schema: paramFileSchema }],
  },
  {
    title: `Waveform (CSV)`,
    about: `Columns \`t_s,v_V\`: a piecewise-linear voltage waveform, time strictly increasing.`,
    schemas: [],
  },
  {
    title: `Simulation output (CSV)`,
    about: `Columns \`t_s,v_V,i_A,ndisc\` first, then extra columns; one row per waveform point.`,
    schemas: [],
  },
  {
    title: `Report folder (\`jartcal report\`)`,
    about: `\`DIR/index.html\` (static, no scripts) and \`DIR/plots/NAME.svg\` + \`DIR/plots/NAME.png\` for every plot:
\`rms_histogram\`, \`iv_DEVICE_CYCLE\` and \`res_DEVICE_CYCLE\` (per-cycle overlay and residuals), \`hist_PARAM\`,
\`scatter_PARAMA_PARAMB\`, \`feature_FEATURE\` (measured switching features), \`profile_spreads\` and
\`profile_voltages\` (population profile, when present). The folder is replaced as a whole.

\`jartcal inspect\` saves a refit by rewriting fits.json (same schema, \`jartcal.fits/1\`); the refitted
cycle's record is replaced by the fit stage's record for that cycle (\`stage: "refit"\`), every other
field of the file is kept.`,
    schemas: [],
  },
  {
    title: `Simulation output of \`jartcal simulate\` (model stage)`,
    about: `Columns \`t_s,v_V,i_A,ndisc,v_cell_V,T_K,compliance,vs_V\`: time (s), source voltage (V), cell current (A,
sign of V), state N (1e26 m^-3) after the update at t_s, voltage across the cell (differs from \`v_V\` with
\`--series-resistance\` or while the compliance is active), filament temperature (K), 1 where the
current compliance was active, and the Schottky voltage V_S (V). Numbers in \`%.10e\` (11 significant
digits, exponent form); NaN after a failed integration (exit code 1).
A waveform CSV needs a header row with \`t_s\` and \`v_V\` (other columns are ignored), at least two points,
finite numbers and strictly increasing time; anything else is refused naming file, line and column.`,
    schemas: [],
  },
  {
    title: `Fits — \`fits.json\`, schema \`jartcal.fits/1\` (fit stage)`,
    about: `Written atomically by \`jartcal fit\`. While the run is going, every record is appended (and fsync'd)
to \`FITS.json.checkpoint.jsonl\` (first line \`{"kind":"header","header":{settings, dataset}}\`, then
\`{"kind":"cycle","fit":CycleFit}\` / \`{"kind":"device","device":DeviceFit}\`); \`--resume\` reuses those
records and refuses a checkpoint written with other settings; the checkpoint is removed after the
final write. A hierarchical fit (\`--mode hierarchical\`) also
keeps the EM's state after its last pass in \`FITS.json.em.json\` (rewritten atomically after each pass:
the population and every device's state as float64 in base64); \`--resume\` continues the EM after that pass
(the result is the uninterrupted run's), and the file is removed with the checkpoint.
\`\`\`ts
interface FitsFile {
  schema: 'jartcal.fits/1'; toolkitVersion: string; createdAt: string; seed: number;
  dataset: string;            // the jartcal.dataset/1 file fitted, relative to fits.json's folder
  settings: {                 // the resolved fit settings (src/fit/settings.ts)
    fitParams: (ParamName | 'seriesOhm')[]; cycleParams: ParamName[]; fixed: Partial<JartParams>;
    mode: 'campaign' | 'joint' | 'independent'; deviceCycles: number; objective: {...};
    starts; startSpread; maxEvaluations; relTol; gradientStep; poorFitRms; illConditioned;
    guess; statWeights; clampCarried; seed; workers };
  devices: { device: string; params: Partial<JartParams>; stderr: Partial<JartParams>; fromCycles: number[];
    circuit?: { seriesOhm: number }; circuitStderr?: { seriesOhm: number } }[];   // fitted circuit parameters, Ω
  cycles: CycleFit[];         // in dataset order
  summary: { cycles; devices; medianRmsLog10; flagged; seconds };
}
interface CycleFit {
  device: string; cycle: number;
  params: JartParams;          // every parameter used for this cycle, parameter-file names and units
  fitted: ParamName[];         // the free ones (device-level + this cycle's)
  stderr: Partial<Record<ParamName, number>>;   // standard errors, same units (Jacobian at the optimum)
  correlation: { params: ParamName[]; matrix: number[][] } | null;
  rmsLog10: number;            // RMS of log10|I_model| − log10|I_data| over the samples with |V| ≥ minAbsV
  converged: boolean;
  flags: { code: 'param_at_bound' | 'ill_conditioned' | 'not_converged' | 'poor_fit' | 'reset_incomplete' | 'param_unidentified';
    param?; bound?: 'min' | 'max'; detail? }[];   // param_unidentified: \`param\` not determined by this cycle's data (no stderr)
  metrics: { rmsLog10; dVSetV; dVResetV /* model − measured, V */; hrsRelErr; lrsRelErr /* R_model/R_data − 1 at −V_read */;
    evaluations /* residual evaluations of the fit that produced this cycle */; seconds;
    vSetDataV; vResetDataV; stopReason; starts;
    hrsPosition /* lowest ln-position of the model's N in [Ndiscmin, Ndiscmax] with the cycle's own values; 0 = HRS */ };
  ninit: number;               // N at the start of the cycle (carried over from the previous cycle)
  endNdisc: number;            // N at its end
  endGeometry?: { rM, lM };    // r_var, l_var at its end, m (only with settings.carryGeometry)
  circuit?: { seriesOhm };     // external series resistance the cycle was evaluated with, Ω (when fitted or > 0)
  circuitStderr?: { seriesOhm }; // its standard error, when it was free in the fit that produced this cycle
  stage: 'device' | 'cycle' | 'joint' | 'independent';  // which fit produced it
}
\`\`\`
\`stderr\` and \`correlation\` refer to the fit that produced the cycle: for \`stage: 'device'\` the joint
fit of the first \`deviceCycles\` cycles (device-level parameters are shared by them); for \`'cycle'\`
only the cycle-level parameters were free (the device-level ones are fixed at \`devices[].params\`
and have no standard error in that record).

**Circuit parameters** (\`--fit ...,seriesOhm\`): the external series resistance of the measurement
circuit is fitted like a device-level parameter but is not a JART parameter, so it is kept out of
\`params\`, \`fitted\`, \`stderr\` and \`correlation\` (which the population stage and the parameter-file
exports read as JART parameters) and recorded in \`devices[].circuit\` / \`circuitStderr\` (campaign and
joint fits) and in every cycle's \`circuit\` (the value it was evaluated with; \`circuitStderr\` where it
was free in that cycle's fit, e.g. \`independent\` mode). A fixed value (\`--series-resistance R\` or
\`--fix seriesOhm=R\`) is \`settings.objective.seriesOhm\`. Files without these fields (older ones) read
as before: the cycle's series resistance is then \`settings.objective.seriesOhm\`.`,
    schemas: [
      { name: 'fits.json', schema: fitsSchema },
      { name: 'fit checkpoint line', schema: fitCheckpointLineSchema },
    ],
  },
  {
    title: `Dataset (\`jartcal.dataset/2\`, written by \`jartcal ingest\`)`,
    about: `One JSON file holding every ingested cycle, normalised. Reader: \`readDataset(path)\` (\`src/io/dataset.ts\`) through
the one schema below (field table), which fills what a hand-made file may omit (time from the sample index,
the device id of a cycle); the stages that need branches or features check for them; \`jartcal.dataset/1\` files (without the test-sequence fields, all
optional) are still read. Fields (extra fields may be added within the major version):

\`\`\`ts
interface Dataset {
  schema: 'jartcal.dataset/2'; toolkitVersion: string; createdAt: string;   // ISO time
  options: ResolvedIngestOptions;      // every option as resolved (format, setPolarity, readVoltageV, sweepRateVps, ...)
  files: string[];                     // input files in the order read (directories expanded)
  issues: { code: string; message: string; location?: { file, line?, column?, sheet?, cell? } }[];
                                       // dropped rows (--lenient), skipped sheets/columns, unpaired halves,
                                       // skipped_leakage/_forming/_first_reset, skipped_pulse_train,
                                       // duplicate_measurement, polarity_disagrees, time_order
  devices: DeviceRecord[];
}
interface DeviceRecord {
  id: string;
  setPolarity: 'positive' | 'negative';  // sign of the APPLIED voltage that SETs the device, as measured
  polaritySource?: 'detected' | 'option' | 'stated';   // 'stated': the file says so (wins over the data)
  complianceA: number | null;            // median of the cycles' compliance (null: none stated or seen)
  cycles: Cycle[];
  metadata: Record<string, string>;      // file metadata (settings, comments), polarityEvidence (a guess from the
                                         // data that a statement overruled is named there), sweepRateStated, columns used,
                                         // complianceMinA/complianceMaxA when the cycles differ
  // added in /2 (test sequences):
  tests?: {                              // every run read for the device, in acquisition order
    role: 'leakage' | 'forming' | 'first-reset' | 'endurance' | 'other';
    file: string; sheet?: string;
    startTime?: string;                  // ISO time the run was recorded (KITE "Last Executed", EasyEXPERT RecordTime)
    used: boolean;                       // its sweeps made (part of) the cycles
    reason: string;                      // why it has this role / why it was left out
  }[];
  formingV?: number | null;              // applied voltage (file's sign) where the forming sweep reached half its peak |I|
  pristineOhm?: number | null;           // |V|/|I| nearest the read voltage on the leakage check (else the forming sweep's start)
  pairing?: {                            // which halves made each cycle
    cycle: number;
    set?: Provenance; reset?: Provenance; whole?: Provenance;
    by: 'cycle-label' | 'time' | 'order' | 'whole' | 'unpaired';   // equal cycle numbers / time stamps / file and run
                                         // order / one sweep held the cycle / a half with no partner (a half-cycle)
  }[];
}
interface Cycle {
  device: string; cycle: number;         // 1-based index within the device
  sourceCycle?: number;                  // the cycle number the file states (sheet "Cycle10", Count, cycle column)
  tS: number[];                          // s, starts at 0
  timeSource: 'file' | 'sweep-rate' | 'index';   // from the file / rebuilt from a sweep rate / sample index (1 s per point)
  sweepRateVps?: number; sweepRateSource?: 'option' | 'stated';   // the rate it was rebuilt from: --sweep-rate / the file's header
  timeGenerated?: true;                  // the file's time column was synthesised by the instrument software ("Time (generated)")
  vV: number[];                          // V, MODEL convention: SET at negative V (negated if setPolarity = positive)
  iA: number[];                          // A, sign(vV)·|I measured| (0 where vV = 0)
  complianceA: number | null;            // in effect on the SET side during this cycle
  complianceSource?: 'metadata' | 'plateau' | 'option' | 'off' | 'none';   // 'off': the file states no compliance
  complianceEvidence?: { method: 'smu-plateau' | 'saturating-set'; confidence: 'high' | 'medium'; detail: string };
                                         // how a compliance guessed from the data was found (complianceSource 'plateau')
  branch: number[];                      // 0 SET out, 1 SET back, 2 RESET out, 3 RESET back, -1 at 0 V
  features: { vSetV, vResetV, readVoltageV, hrsOhm, lrsOhm, onOff, resetPeakA, complianceHit };  // docs/ingest.md
  provenance: { file: string; sheet?: string; rowStart: number; rowEnd: number };  // first part; rows are
                                         // 1-based file lines (text) or sheet row numbers (workbooks)
  parts?: Provenance[];                  // every source part when SET and RESET halves were joined
  currentFloorA?: number;                // resolution estimate: median |I| at 0 V, at most a tenth of the 1st percentile of |I|
}
\`\`\``,
    schemas: [{ name: 'dataset.json', schema: datasetSchema }],
  },
  {
    title: `Population file (\`jartcal.population/1\`)`,
    about: `Written by \`jartcal population\`, read by \`sample\`, \`export\`, \`profile\`, the crossbar, and \`loadPreset\`
(presets under \`presets/\` use the same schema). Reader: \`readPopulation(obj)\` in \`src/population/\`
(refuses another schema, unknown parameter names, bad families/kinds, a non-square or non-unit-diagonal
correlation; repairs a non-positive-definite correlation and records \`repaired: true\`).

\`\`\`jsonc
{
  "schema": "jartcal.population/1",
  "toolkitVersion": "0.1.0", "createdAt": "2026-...Z",
  "seed": 1,                                   // seed of the bootstrap (estimation) — reruns are bit-identical
  "provenance": {
    "fits": ["fits.json"], "datasets": ["dataset.json"],   // inputs (dataset as named by the fits file)
    "fitSettings": { ... },                    // the fits file's \`settings\`, verbatim
    "method": "REML random effects ...",       // estimator, in words
    "exclusions": { "lnew": { ... } },          // optional: parameters[name].diagnostics.excluded, collected
    "preset": "paper-realistic", "source": "citation ..."   // presets only
  },
  "base": { "rdet": 4.5e-8, ... },             // fixed parameters (file units, spec §13)
  "parameters": {
    "rnew": {
      "family": "lognormal",                   // normal | lognormal | truncnormal | trunclognormal
      "d2d": { "center": 4.5e-8,               // normal: mean; lognormal: median exp(mu)
               "spread": 0.08,                 // sigma, of kind:
               "spreadKind": "ln",             // absolute (unit of the parameter) | relative (sigma/center) | ln (sigma of ln x)
               "lower": 4.05e-8, "upper": 4.95e-8,   // truncated families: absolute bounds
               "bounding": "truncate",         // truncate (redraw inside, default) | clip (aihwkit: set to the bound)
               "ci": [0.07, 0.09] },           // 95 % CI of spread (parametric bootstrap)
      "c2c": { "spread": 0.04, "spreadKind": "ln", "ci": [0.037, 0.043],
               "distribution": "normal",       // normal (in the family's space, default) | uniform (x_dev (1 + spread U(-1,1)))
               "slope": 0.1,                   // optional: aihwkit *_std_slope (update-scaled term), informational
               "lower": -0.5, "upper": 0.5 },  // optional: relative clamp of a cycle's value around the device's
      "diagnostics": { "nDevices": 60, "nCycles": 600, "level": "cycle",
                       "gof": [{ "family": "normal", "adStatistic": 0.46, "adPValue": 0.26, "ksStatistic": 0.07, "n": 60 }, ...],
                       "meanStderrTransformed": 0.02, "note": "...",
                       // optional: cycle values not used (docs/population.md "Values not used")
                       "excluded": { "unidentified": 25,     // flagged param_unidentified by the fit
                                     "outliers": 1,          // within-device outlier screen
                                     "devicesLost": 2,       // devices left without any value
                                     "selection": [{ "param": "rnew", "meanZ": 2.47, "n": 26 }],  // where the excluded cycles sit (d2d sd)
                                     "selectionCorrection": { "d2dSpreadFactor": 1.04, "on": ["rnew"] } } }
    }
  },
  "correlation": { "params": ["rnew", "lnew"], "matrix": [[1, 0.6], [0.6, 1]],   // d2d, Gaussian copula on
                   "repaired": false, "minEigenvalueBefore": 0.4, "method": "...",  // ln x (lognormal families) or x
                   "selectionCorrected": { "y": ["lnew"], "x": ["rnew"] } },          // optional: Pearson–Lawley correction applied
  "validity": { "ranges": { "rnew": [4.05e-8, 4.95e-8] }, "note": "..." },        // presets: using values outside is an error
  "circuit": { "seriesOhm": { "family": "lognormal", "center": 13620, "spread": 1.38, "spreadKind": "ln", "n": 100 } },
                                               // optional: the fits' per-device external series resistance (Ω; median,
                                               // ln sd, devices); \`profile\` draws one per device unless --series-resistance
  "profile": { ... },                          // optional: a jartcal.profile/1 record (jartcal profile --attach)
  "aihwkit": { "rdisc_dtod": 1.0, ... }        // optional: verbatim aihwkit JARTv1bDevice noise fields (paper presets)
}
\`\`\`
Semantics. A device's value of parameter p is drawn from its \`family\` with the \`d2d\` spec, jointly with
the other parameters in \`correlation.params\` through a Gaussian copula (z = L xi, L the Cholesky factor;
the value is the marginal's quantile of Phi(z); for untruncated families simply center-space + sigma z).
Each cycle (JART v1b var; one draw per cycle, held for its SET and RESET, docs/population.md) redraws every parameter with a \`c2c.spread > 0\`
around the device's own value: in the family's space with sigma = c2c spread (relative kinds scale with
the device's value), inside the d2d bounds for truncated families. Parameters absent from \`parameters\`
take \`base\`, then the model defaults (rnew → rdet, lnew → ldet).`,
    schemas: [{ name: 'population.json', schema: populationSchema }],
  },
  {
    title: `Samples (CSV, \`jartcal sample\` / \`export --format csv\`)`,
    about: `First line a comment \`# jartcal VERSION sample of POP: n=.. cycles=.. seed=..\` (sample only), then
columns \`device,cycle,<parameter names>\` in file units; \`cycle\` 0 is the device's own (d2d) values,
1..C are cycle draws. The same population, n, seed give the same bytes; the devices and the first
cycles do not depend on a larger \`--cycles\`.`,
    schemas: [],
  },
  {
    title: `Variability profile (\`jartcal.profile/1\`, \`jartcal profile --out\`)`,
    about: `The measured switching-feature statistics of a dataset beside those of devices sampled from a population
and simulated through the measured protocols (\`protocol: "replay"\`, the default: each simulated device replays a
measured device, each cycle on a measured cycle's protocol, the measured current noise added), or through the
dataset's median sweep (\`--median-sweep\`, the older form). \`jartcal profile --attach OUT\` and the pipeline write
the population file with this record under \`profile\`; the population reader validates it.`,
    schemas: [{ name: 'profile.json', schema: profileSchema }],
  },
  {
    title: `Crossbar experiment config and results (\`jartcal crossbar run\`, crossbar stage)`,
    about: `**Config** (\`experiments/*.json\`, \`jartcal crossbar --config\`, JSON): any subset of the fields below; every
field has its default (the paper's), unknown keys are refused with their JSON path, keys starting with \`$\`
and \`comment\` are notes. The device models and their sections are registered in
\`src/crossbar/device/models/\` (see \`docs/crossbar.md\`). In \`device.jart\`, the weight bounds \`wBoundMin\`,
\`wBoundMax\` clamp N to the N of these weights under the mapping; where the read current cannot reach
them (the defaults ±1.5, as in the paper-era aihwkit code) there is no clamp; equal to \`wMin\`/\`wMax\` the
clamp is [\`nLo\`, \`nHi\`]. \`pulseMatch\` and \`nWindow\` write their choice into the resolved config and
results.json's \`operatingPoint\`.

**results.json** (\`jartcal.crossbar-results/1\`): the fields below; in inference mode also \`digitalAccuracy\`,
\`programming\` and the analog accuracy means (with \`program.ramp: "width"\` or \`"amplitude"\` the cells out of tolerance by reason,
\`failOutOfReach\`, \`failStuck\`, \`failTooSlow\`, \`failTooCoarse\`, \`failDrift\`, \`failBudget\`, and \`widthFactorQuantiles\`; with
\`"amplitude"\` also \`amplitudeFactorQuantiles\`, p10/p50/p90 of each cell's last pulse amplitude over the matched one); in in-situ
mode \`swingSpread\` (pulses per 90 % swing over sampled devices), \`lossTrace\` (mean training loss per tenth of an epoch)
and \`diagnosis\` (\`learned\`, \`lossTrend\`, \`swingDecades\`, \`fastShare\`, \`neverShare\`, \`reason\`: why it did not learn);
with \`--inference\` (the pipeline) \`inference\`, a summary of \`inference/results.json\` (\`accuracy\` after programming,
\`inTolerance\`, \`failures\` by reason). **accuracy.csv**: \`repeat, epoch, lr,
train_loss, test_accuracy_pct, seconds, cpu_seconds, pulses_applied, coincidences\`. **checkpoint.json**
(\`jartcal.crossbar-checkpoint/1\`): finished repeats' records and the running repeat's device state
(base64 float64 arrays; with a digital bias one more group at the end holding the layers' bias vectors) and
RNG state. A checkpoint's \`configKey\` is its resolved config; one written before \`network.digitalBias\` existed
is read as \`digitalBias: false\`, and one without \`wBoundMin\`/\`wBoundMax\` resolves them to today's defaults
(±1.5) while keeping its own \`wMin\`/\`wMax\` — so checkpoints written with a ±1.5 map resume only with a config
that states those old settings (\`network.digitalBias: false\`, \`device.jart.wMin/wMax: ∓1.5\`). Inference
checkpoints (\`jartcal.crossbar-inference-checkpoint/1\`) are matched the same way: keys added
after a checkpoint was written take their defaults.`,
    schemas: [
      { name: 'experiment config', schema: experimentConfigSchema },
      { name: 'results.json', schema: crossbarResultsSchema },
      { name: 'crossbar checkpoint', schema: crossbarCheckpointSchema },
      { name: 'inference checkpoint', schema: inferenceCheckpointSchema },
    ],
  },
  {
    title: `Crossbar sweep (\`jartcal crossbar sweep GRID.json --out DIR\`)`,
    about: `The grid (\`jartcal.crossbar-grid/1\`, e.g. \`experiments/paper-table.json\`) names experiment config files,
overrides and seeds; every configuration × seed is one run with one repeat. Keys starting with \`$\` are notes.
The sweep folder holds \`sweep.json\` (its runs), one folder per run (\`CONFIGURATION/seed-S\` in its \`runs\` folder) with \`results.json\` (a crossbar results
file with \`records\`, \`key\`, \`configKey\`, \`backend\`) and \`checkpoint.json\` per run, and the summary in
\`results.json\`, \`summary.md\` and \`summary.csv\`.`,
    schemas: [
      { name: 'grid', schema: gridSchema },
      { name: 'sweep.json', schema: sweepStateSchema },
      { name: 'run checkpoint', schema: sweepCheckpointSchema },
      { name: 'sweep results.json', schema: sweepSummarySchema },
    ],
  },
  {
    title: `Queue job (\`--queue\`, BullMQ on Redis)`,
    about: `What a coordinator (\`jartcal fit … --queue\`, \`jartcal crossbar sweep … --queue\`) puts on the queue and a
\`jartcal worker\` takes (docs/distributed.md): JSON data, never code. Both sides check it against this schema, then
with the rules of the files it came from (fit settings that resolve to exactly themselves, each cycle's samples as in
a dataset, the experiment config). A worker of another \`toolkitVersion\` or \`backend\` refuses the job. The result
is the job's BullMQ return value: \`{events}\` (fit), the device's state (hier), \`{records, backend}\` (crossbar).`,
    schemas: [
      { name: 'fit job', schema: queueJobKinds.fitJob },
      { name: 'hier job', schema: queueJobKinds.hierJob },
      { name: 'crossbar job', schema: queueJobKinds.crossbarJob },
      { name: 'echo job', schema: queueJobKinds.echoJob },
    ],
  },
  {
    title: `Pipeline manifest (\`jartcal.pipeline/1\`, \`OUT/pipeline.json\`, \`jartcal pipeline\`)`,
    about: `What each stage's output was made from, written atomically after each stage:
\`{"schema", "toolkitVersion", "stages": {STAGE: {"output", "madeAt", "inputs": {PATH: "sha256:HEX"},
"settingsHash": "sha256:HEX", "settings"}}}\`, STAGE one of \`ingest\`, \`fit\`, \`population\`, \`profile\`,
\`crossbar\`, \`report\`. \`inputs\` maps each input file (relative to the out folder when inside it: the
measurement files, \`dataset.json\`, \`fits.json\`, \`population.json\`, the crossbar experiment) to the hash of
its content; for the profile stage \`population.json\` is hashed without its \`profile\` key (the profile it
attaches there). \`settings\` are the stage's resolved settings (fit settings without the worker count,
population estimation options, profile devices/cycles/seed, crossbar overrides, report options) and
\`settingsHash\` the hash of their JSON with sorted keys. A stage is redone when its output is missing, it has
no record, or an input's hash or the settings hash differ; its own output is not an input, so an edited
\`fits.json\` (a refit saved from the inspector) redoes the stages after the fit, not the fit.`,
    schemas: [{ name: 'pipeline.json', schema: pipelineManifestSchema }],
  },
  {
    title: `Refinement checkpoint (\`jartcal.refine-checkpoint/1\`)`,
    about: `Written beside the output every few evaluations while \`jartcal population --refine\` runs; a rerun with
the same inputs and settings resumes from it; removed once the refined population is written.`,
    schemas: [{ name: 'refine checkpoint', schema: refineCheckpointSchema }],
  },
];
