/** `jartcal simulate`: one JART VCM v1b cell through a waveform file or a triangular sweep. */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { numberFlag, parseCommandArgs, type Command } from './command.js';
import { parseJsonText, readTextFile } from '../io/json.js';
import { readWaveformCsv } from '../io/waveform.js';
import { writeSimCsvAsync } from '../io/simcsv.js';
import { DEFAULT_PARAMS, resolveParams, simulate, sweepWaveform, type JartParams, type SimOptions, type Waveform } from '../model/index.js';
import type { PopulationFile } from '../population/types.js';
import { didYouMean } from '../util/suggest.js';
import { JartcalError } from '../util/errors.js';

const HELP = `Usage: jartcal simulate [--params P.json] (--waveform W.csv | --sweep [sweep options]) --out O.csv [options]

Simulates one JART VCM v1b cell (docs/model.md) and writes one CSV row per waveform point:
t_s,v_V,i_A,ndisc,v_cell_V,T_K,compliance,vs_V (v_V: source voltage; v_cell_V: across the cell).

  --params P                a parameter file {"model":"jart-vcm-v1b","params":{...}} (missing names: the
                            defaults; Ninit = initial N; an example with every default:
                            presets/params/default.json), or a population file or preset name
                            (jartcal population, presets/*.json): its central device (base values and
                            each parameter's device-to-device centre)
  --waveform W.csv          piecewise-linear waveform, columns t_s,v_V
  --sweep                   triangular sweep 0 → vset → 0 → vreset → 0 instead of a waveform
    --vset V                (default -1.3; < 0: SET is at negative V in the model convention)
    --vreset V              (default 1.3; > 0)
    --rate V/s              (default 1)
    --step V                output step (default 0.001)
  --compliance A            SMU current compliance in the SET polarity (|I| ≤ A; the cell voltage follows)
  --compliance-reset A      current compliance in the RESET polarity (default none)
  --series-resistance Ohm   external series resistance
  --out O.csv               output CSV (written atomically)
  --plot O.svg|O.png        I-V plot (log |I| against V)
  --scheme heun|rk23        integrator (default heun, the reference settings)
  --rel-tol X               local error per step in ln N (default 2e-4)
`;

export const command: Command = {
  name: 'simulate',
  summary: 'simulate one JART VCM v1b cell through a waveform or a sweep',
  help: HELP,
  async run(rawArgv) {
    const argv = joinNegativeValues(rawArgv, [
      '--vset',
      '--vreset',
      '--rate',
      '--step',
      '--compliance',
      '--compliance-reset',
      '--series-resistance',
      '--rel-tol',
    ]);
    const { values } = parseCommandArgs('simulate', argv, {
      params: { type: 'string' },
      waveform: { type: 'string' },
      sweep: { type: 'boolean' },
      vset: { type: 'string' },
      vreset: { type: 'string' },
      rate: { type: 'string' },
      step: { type: 'string' },
      compliance: { type: 'string' },
      'compliance-reset': { type: 'string' },
      'series-resistance': { type: 'string' },
      out: { type: 'string' },
      plot: { type: 'string' },
      scheme: { type: 'string' },
      'rel-tol': { type: 'string' },
    });
    if (!values.out) throw new JartcalError('simulate: --out O.csv is required. See `jartcal simulate --help`.', { code: 'bad_arguments' });
    if (values.plot && !['.svg', '.png'].includes(extname(values.plot).toLowerCase())) {
      throw new JartcalError(`simulate: --plot must end in .svg or .png, got "${values.plot}"`, { code: 'bad_arguments' });
    }
    if (!!values.waveform === !!values.sweep) {
      throw new JartcalError('simulate: give exactly one of --waveform W.csv or --sweep', { code: 'bad_arguments' });
    }
    const p = values.params ? await loadParams(values.params) : { ...DEFAULT_PARAMS };
    let wave: Waveform;
    if (values.waveform) wave = readWaveformCsv(values.waveform);
    else wave = sweepWaveform(sweepFromFlags(values));
    const opts: SimOptions = { circuit: {} };
    if (values.compliance !== undefined) {
      const c = numberFlag('simulate', 'compliance', values.compliance);
      if (!(c > 0)) throw new JartcalError('simulate: --compliance must be > 0 A', { code: 'bad_arguments' });
      opts.circuit!.complianceA = c;
    }
    if (values['compliance-reset'] !== undefined) {
      const c = numberFlag('simulate', 'compliance-reset', values['compliance-reset']);
      if (!(c > 0)) throw new JartcalError('simulate: --compliance-reset must be > 0 A', { code: 'bad_arguments' });
      opts.circuit!.complianceResetA = c;
    }
    if (values['series-resistance'] !== undefined) {
      const r = numberFlag('simulate', 'series-resistance', values['series-resistance']);
      if (!(r >= 0)) throw new JartcalError('simulate: --series-resistance must be ≥ 0 Ω', { code: 'bad_arguments' });
      opts.circuit!.seriesOhm = r;
    }
    if (values.scheme !== undefined) {
      if (values.scheme !== 'heun' && values.scheme !== 'rk23')
        throw new JartcalError('simulate: --scheme must be heun or rk23', { code: 'bad_arguments' });
      opts.scheme = values.scheme;
    }
    if (values['rel-tol'] !== undefined) {
      const t = numberFlag('simulate', 'rel-tol', values['rel-tol']);
      if (!(t > 0 && t < 1)) throw new JartcalError('simulate: --rel-tol must be in (0, 1)', { code: 'bad_arguments' });
      opts.relTol = t;
    }
    const t0 = performance.now();
    const r = simulate(p, wave, opts);
    const ms = performance.now() - t0;
    await writeSimCsvAsync(values.out, r);
    if (values.plot) {
      // loaded only when asked for: the plot code (and resvg for PNG) is most of the command's start-up otherwise
      const [{ ivChart }, { writePlot }] = await Promise.all([import('./sim-plot.js'), import('../io/plot.js')]);
      writePlot(values.plot, ivChart(r, `JART VCM v1b: ${values.waveform ?? 'sweep'}`));
    }
    const bad = r.iA.some((x) => Number.isNaN(x));
    process.stdout.write(
      `simulate: ${r.tS.length} points in ${ms.toFixed(1)} ms (${r.stats.steps} steps, ${r.stats.rhsEvals} evaluations) → ${values.out}${values.plot ? ` and ${values.plot}` : ''}\n`,
    );
    if (bad) process.stderr.write('simulate: warning: the integration failed part-way; the rest of the output is NaN\n');
    return bad ? 1 : 0;
  },
};

/** The sweep of --vset/--vreset/--rate/--step, refused when it would not SET and RESET (a sign the wrong way round). */
export function sweepFromFlags(v: { vset?: string; vreset?: string; rate?: string; step?: string }): {
  vSetV: number;
  vResetV: number;
  rateVps: number;
  stepV: number;
} {
  const vSetV = numberFlag('simulate', 'vset', v.vset, -1.3),
    vResetV = numberFlag('simulate', 'vreset', v.vreset, 1.3);
  const rateVps = numberFlag('simulate', 'rate', v.rate, 1),
    stepV = numberFlag('simulate', 'step', v.step, 0.001);
  if (!(vSetV < 0))
    throw new JartcalError(
      `simulate: --vset must be negative (SET is at negative voltage in the model convention), got ${vSetV} V; did you mean --vset ${-vSetV}?`,
      { code: 'bad_arguments' },
    );
  if (!(vResetV > 0))
    throw new JartcalError(
      `simulate: --vreset must be positive (RESET is at positive voltage in the model convention), got ${vResetV} V; did you mean --vreset ${-vResetV}?`,
      { code: 'bad_arguments' },
    );
  if (!(rateVps > 0)) throw new JartcalError(`simulate: --rate must be > 0 V/s, got ${rateVps}.`, { code: 'bad_arguments' });
  if (!(stepV > 0 && stepV < Math.max(-vSetV, vResetV)))
    throw new JartcalError(`simulate: --step must be > 0 V and smaller than the sweep's amplitude, got ${stepV}.`, {
      code: 'bad_arguments',
    });
  return { vSetV, vResetV, rateVps, stepV };
}

/**
 * --params: a parameter file, or a population file / preset name whose central device is used (base,
 * then every parameter's d2d centre); says so on stderr.
 */
export async function loadParams(arg: string): Promise<JartParams> {
  // loaded here, not at the top: a plain parameter file needs none of the population code
  const POPULATION_SCHEMA = 'jartcal.population/1';
  let pop: PopulationFile | null = null;
  if (existsSync(arg)) {
    const text = readTextFile(arg, 'parameter file');
    let obj: unknown = null;
    try {
      obj = parseJsonText(text, arg);
    } catch {
      /* parseParamFile names the line and column */
    }
    if (!(obj && typeof obj === 'object' && (obj as { schema?: unknown }).schema === POPULATION_SCHEMA)) {
      // the parameter file's schema (zod) is loaded only here: with it loaded, the whole command ran
      // slower (a larger heap to collect), not only its start-up (bench/cli.ts)
      const { parseParamFile } = await import('../io/params.js');
      return parseParamFile(text, arg).params;
    }
    const { readPopulation } = await import('../population/schema.js');
    pop = readPopulation(obj, arg);
  }
  if (!pop) {
    const { listPresets, loadPreset } = await import('../io/population.js');
    const presets = listPresets();
    if (!presets.includes(arg))
      throw new JartcalError(
        `simulate: --params: "${arg}" is neither a file nor a preset${didYouMean(arg, presets)} (presets: ${presets.join(', ')}; a parameter file with every default: presets/params/default.json)`,
        { code: 'not_found' },
      );
    pop = loadPreset(arg);
  }
  const centre: Record<string, number> = { ...pop.base };
  for (const [n, spec] of Object.entries(pop.parameters)) if (spec) centre[n] = spec.d2d.center;
  process.stderr.write(
    `simulate: ${arg} is a population (${POPULATION_SCHEMA}): simulating its central device (base values, each parameter at its device-to-device centre)\n`,
  );
  return resolveParams(centre, { file: arg });
}

/** `--vset -1.3` → `--vset=-1.3` (util.parseArgs would read "-1.3" as an option). */
export function joinNegativeValues(argv: string[], flags: string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    const next = argv[k + 1];
    if (flags.includes(a) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a}=${next}`);
      k++;
    } else out.push(a);
  }
  return out;
}
