/**
 * Command-line benchmark (the installed `jartcal`, bin/jartcal.js over dist/, rebuilt first):
 *  - `jartcal simulate` of a 5-cycle ±1.3 V sweep at 2 mV (13,001 points, a waveform file) against the
 *    in-process simulation of the same waveform in a fresh process (cold, as in the command). The
 *    command's start-up (node, the launcher and the simulate module: `jartcal simulate --help`) is
 *    subtracted. Target: ≤ 1.2 × the in-process simulation.
 *  - `jartcal --help` against `jartcal simulate --help`. Target: ≤ 1.3 ×.
 * Each figure is the median over interleaved repeats (the machine is shared). A breakdown of the command's
 * own work (read the waveform, simulate, write the CSV, as `jartcal simulate` does them, timed in one fresh
 * process) shows where the time beyond the simulation goes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sweepWaveform } from '../src/model/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'jartcal.js');

function wall(args: string[]): { ms: number; stdout: string } {
  const t0 = performance.now();
  const p = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root });
  const ms = performance.now() - t0;
  if (p.status !== 0) throw new Error(`${args.join(' ')} failed: ${p.stderr}`);
  return { ms, stdout: p.stdout };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The 5-cycle sweep as a waveform CSV (t_s,v_V). */
function writeWave(path: string): number {
  const one = sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.002 });
  const n = one.vV.length,
    period = one.tS[n - 1];
  let s = 't_s,v_V\n',
    count = 0;
  for (let c = 0; c < 5; c++)
    for (let k = c ? 1 : 0; k < n; k++) {
      s += `${c * period + one.tS[k]},${one.vV[k]}\n`;
      count++;
    }
  writeFileSync(path, s);
  return count;
}

export async function run(): Promise<void> {
  const b = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`npm run build failed: ${b.stdout}${b.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'jartcal-bench-cli-'));
  const wave = join(dir, 'wave.csv'),
    out = join(dir, 'out.csv');
  const points = writeWave(wave);
  // the in-process baseline: a fresh node that builds the same waveform and times one simulate() call
  const model = join(root, 'dist', 'model', 'index.js');
  const inProc = `const m = await import(${JSON.stringify(model)});
    const one = m.sweepWaveform({ vSetV: -1.3, vResetV: 1.3, rateVps: 1, stepV: 0.002 }); const n = one.vV.length, P = one.tS[n - 1];
    const tS = new Float64Array(5 * (n - 1) + 1), vV = new Float64Array(tS.length); let j = 0;
    for (let c = 0; c < 5; c++) for (let k = c ? 1 : 0; k < n; k++) { tS[j] = c * P + one.tS[k]; vV[j++] = one.vV[k]; }
    const t0 = performance.now(); m.simulate({ ...m.DEFAULT_PARAMS }, { tS, vV }, { circuit: {} }); process.stdout.write(String(performance.now() - t0));`;
  // the command's work, step by step, in one fresh process
  const steps = `const [m, w, c] = await Promise.all([import(${JSON.stringify(model)}), import(${JSON.stringify(join(root, 'dist', 'io', 'waveform.js'))}), import(${JSON.stringify(join(root, 'dist', 'io', 'simcsv.js'))})]);
    const t0 = performance.now(); const wave = w.readWaveformCsv(${JSON.stringify(wave)});
    const t1 = performance.now(); const r = m.simulate({ ...m.DEFAULT_PARAMS }, wave, { circuit: {} });
    const t2 = performance.now(); await c.writeSimCsvAsync(${JSON.stringify(out)}, r);
    const t3 = performance.now(); process.stdout.write(JSON.stringify([t1 - t0, t2 - t1, t3 - t2]));`;
  const R = 7;
  const cmd: number[] = [],
    start: number[] = [],
    bare: number[] = [],
    sim: number[] = [],
    top: number[] = [],
    read: number[] = [],
    stepSim: number[] = [],
    write: number[] = [];
  for (let r = 0; r < R; r++) {
    bare.push(wall(['-e', '0']).ms);
    start.push(wall([bin, 'simulate', '--help']).ms);
    top.push(wall([bin, '--help']).ms);
    cmd.push(wall([bin, 'simulate', '--waveform', wave, '--out', out]).ms);
    sim.push(Number(wall(['--input-type=module', '-e', inProc]).stdout));
    const [a, b, c] = JSON.parse(wall(['--input-type=module', '-e', steps]).stdout) as number[];
    read.push(a);
    stepSim.push(b);
    write.push(c);
  }
  const m = { cmd: median(cmd), start: median(start), bare: median(bare), sim: median(sim), top: median(top) };
  const f = (x: number): string => x.toFixed(0);
  console.log(`jartcal simulate, 5 cycles ±1.3 V at 2 mV (${points} points), medians of ${R}:`);
  console.log(`  whole command ${f(m.cmd)} ms; start-up (jartcal simulate --help) ${f(m.start)} ms; node alone ${f(m.bare)} ms`);
  console.log(`  in-process simulation (fresh process) ${f(m.sim)} ms`);
  console.log(
    `  command − start-up = ${f(m.cmd - m.start)} ms → ×${((m.cmd - m.start) / m.sim).toFixed(2)} of the in-process simulation  [target ≤ 1.2]`,
  );
  console.log(
    `  (command − node alone = ${f(m.cmd - m.bare)} ms → ×${((m.cmd - m.bare) / m.sim).toFixed(2)}: the command's module loading included)`,
  );
  const [rd, sm, wr] = [median(read), median(stepSim), median(write)];
  console.log(
    `  its steps in one fresh process: read ${f(rd)} ms, simulate ${f(sm)} ms, write ${f(wr)} ms → ×${((rd + sm + wr) / sm).toFixed(2)} of the simulation`,
  );
  console.log(
    `jartcal --help ${f(m.top)} ms vs jartcal simulate --help ${f(m.start)} ms → ×${(m.top / m.start).toFixed(2)}  [target ≤ 1.3]`,
  );
}
