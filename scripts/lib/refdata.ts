/** Helpers for the model tests: the shared reference cases (read through sharedPath). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { sharedPath } from './shared.js';
import { resolveParams, sweepWaveform, type JartParams, type Waveform } from '../../src/model/index.js';

export function readCsv(path: string): number[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(',').map(Number));
}

export interface RefCase {
  name: string;
  p: JartParams;
  wave: Waveform;
  ref: number[][];
}

/** Every case of ../shared/jart/reference: NAME.params.json + NAME.wave.csv → NAME.csv, plus default_sweep. */
export function referenceCases(): RefCase[] {
  const dir = sharedPath('jart', 'reference');
  const names = readdir(dir)
    .filter((f) => f.endsWith('.params.json'))
    .map((f) => f.replace('.params.json', ''));
  const cases: RefCase[] = names.map((name) => {
    const p = resolveParams(JSON.parse(readFileSync(`${dir}/${name}.params.json`, 'utf8')).params);
    const w = readCsv(`${dir}/${name}.wave.csv`);
    return {
      name,
      p,
      wave: { tS: Float64Array.from(w.map((r) => r[0])), vV: Float64Array.from(w.map((r) => r[1])) },
      ref: readCsv(`${dir}/${name}.csv`),
    };
  });
  if (existsSync(`${dir}/default_sweep.csv`) && !names.includes('default_sweep')) {
    cases.push({
      name: 'default_sweep',
      p: resolveParams({}),
      wave: sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.001 }),
      ref: readCsv(`${dir}/default_sweep.csv`),
    });
  }
  return cases;
}

function readdir(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** Voltage at which N crosses thr (interpolated in ln N between samples); upward or downward. */
export function crossingVoltage(nd: ArrayLike<number>, v: ArrayLike<number>, thr: number, up: boolean): number {
  for (let k = 1; k < nd.length; k++) {
    const a = nd[k - 1];
    const b = nd[k];
    if (up ? a < thr && b >= thr : a > thr && b <= thr) {
      const f = (Math.log(thr) - Math.log(a)) / (Math.log(b) - Math.log(a));
      return v[k - 1] + f * (v[k] - v[k - 1]);
    }
  }
  return NaN;
}
