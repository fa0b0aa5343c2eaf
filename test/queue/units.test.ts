import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createWorkerPool, resolveFitSettings } from '../../src/fit/index.js';
import { resolveConnection } from '../../src/queue/connection.js';
import { refusal, validateJob, JS_BACKEND } from '../../src/queue/jobs.js';
import { checkGrid, summarizeSweep, sweepCsv, type SweepRun } from '../../src/crossbar/experiment/sweep.js';
import { TOOLKIT_VERSION } from '../../src/version.js';
import { syntheticDataset } from './dataset.js';

test('the local pool rejects, instead of waiting forever, when a worker thread exits without an error', async () => {
  // a thread that ends its process on the first job, as process.exit() inside a job would
  const spawn = () => new Worker("require('node:worker_threads').parentPort.once('message', () => process.exit(3));", { eval: true });
  const pool = createWorkerPool(2, { spawn });
  const ds = syntheticDataset(1, 1);
  const job = { job: { device: 'dev001', cycles: ds.devices[0].cycles }, done: { cycles: [] } };
  const run = pool.run([job, { ...job, job: { ...job.job, device: 'dev002' } }], resolveFitSettings(), () => undefined);
  const timeout = new Promise((_r, reject) => setTimeout(() => reject(new Error('run() still waiting after 20 s')), 20000).unref());
  await assert.rejects(Promise.race([run, timeout]), /exited \(code 3\) before its job finished/);
});

test('the local pool keeps its threads between batches and ends them on close()', async () => {
  // a thread that answers every job at once
  let spawned = 0;
  const alive = new Set<Worker>();
  const spawn = () => {
    spawned++;
    const w = new Worker(
      "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage({ index: m.index, done: true }));",
      { eval: true },
    );
    alive.add(w);
    w.once('exit', () => alive.delete(w));
    return w;
  };
  const pool = createWorkerPool(2, { spawn });
  const ds = syntheticDataset(1, 1);
  const jobs = ['dev001', 'dev002', 'dev003'].map((device) => ({ job: { device, cycles: ds.devices[0].cycles }, done: { cycles: [] } }));
  for (let batch = 0; batch < 3; batch++) await pool.run(jobs, resolveFitSettings(), () => undefined);
  assert.equal(spawned, 2);
  assert.equal(alive.size, 2);
  await pool.close();
  assert.equal(alive.size, 0);
});

test('queue URLs: host, port, database, password, TLS and prefix; bad ones named', () => {
  const c = resolveConnection({ url: 'redis://:s3cret@10.0.0.5:6380/2', prefix: 'wafer7' });
  assert.deepEqual(
    [c.redis.host, c.redis.port, c.redis.db, c.redis.password, c.redis.tls, c.prefix, c.label],
    ['10.0.0.5', 6380, 2, 's3cret', undefined, 'wafer7', 'redis://10.0.0.5:6380/2'],
  );
  assert.equal(c.label.includes('s3cret'), false);
  const t = resolveConnection({ url: 'rediss://q.example:6390' });
  assert.deepEqual(
    [t.redis.port, t.redis.db, (t.redis.tls as { servername: string }).servername, t.prefix],
    [6390, 0, 'q.example', 'jartcal'],
  );
  assert.throws(() => resolveConnection({ url: 'http://x:1' }), /expected a redis:\/\/ or rediss:\/\/ URL/);
  assert.throws(() => resolveConnection({ url: 'redis://x:1/99' }), /database after the port must be an integer 0…15/);
  assert.throws(() => resolveConnection({ url: 'redis://x:1', prefix: 'a b' }), /--queue-prefix/);
  // bounded reconnection: gives up (null) after the given attempts
  const msgs: string[] = [];
  const r = resolveConnection({ url: 'redis://x:1', retries: 3 }, (m) => msgs.push(m)).redis.retryStrategy as (n: number) => number | null;
  assert.equal(typeof r(1), 'number');
  assert.equal(r(4), null);
  assert.match(msgs.join('\n'), /reconnecting \(attempt 1 of 3\)[\s\S]*gave up reconnecting/);
});

test('jobs are validated (settings, cycles) and refused for another toolkit version or backend', () => {
  const ds = syntheticDataset(1, 1);
  const good = {
    kind: 'fit',
    toolkitVersion: TOOLKIT_VERSION,
    backend: JS_BACKEND,
    settings: resolveFitSettings(),
    devices: [{ job: { device: 'dev001', cycles: ds.devices[0].cycles }, done: { cycles: [] } }],
    prior: null,
  };
  assert.equal(validateJob(good, 'job 1').kind, 'fit');
  const bad = structuredClone(good);
  bad.devices[0].job.cycles[0].iA[5] = 'x' as unknown as number;
  assert.throws(() => validateJob(bad, 'job 1'), /job 1: devices\[0\]\.cycles\[0\]\.iA\[5\]: expected a finite number, got "x"/);
  assert.throws(() => validateJob({ ...good, settings: { ...good.settings, mode: 'magic' } }, 'job 2'), /job 2: settings: .*unknown mode/);
  assert.throws(
    () => validateJob({ ...good, kind: 'shell', command: 'rm -rf /' }, 'job 3'),
    /kind: expected "fit", "hier", "crossbar" or "echo", got "shell"/,
  );
  // a hierarchical pass's step: its state and prior are checked by the job schema (src/schema/job.ts)
  const cycles = ds.devices[0].cycles;
  const hier = {
    kind: 'hier',
    toolkitVersion: TOOLKIT_VERSION,
    backend: JS_BACKEND,
    settings: resolveFitSettings({ mode: 'hierarchical' }),
    step: {
      step: 'init',
      device: { id: 'dev001', cycles, startRms: cycles.map(() => null) },
      state: {
        v: '',
        theta: cycles.map(() => ''),
        scalars: '',
        lmConverged: false,
        lmStop: '',
        a: '',
        covA: [],
        covThetaA: [],
        cov: [],
        prec: [],
        numShift: '',
        infoC: [],
        profiles: '',
      },
      pop: null,
      options: { maxPasses: 6, secantCurvature: true },
      firstPass: false,
      poor: false,
      donors: [],
      above: false,
    },
  };
  assert.equal(validateJob(hier, 'job 4').kind, 'hier');
  // donors as the EM driver sends them: device-level values, cycle-level medians and every cycle's values
  const donors = [{ v: '', a: '', theta: cycles.map(() => '') }];
  assert.equal(validateJob({ ...hier, step: { ...hier.step, donors } }, 'job 4').kind, 'hier');
  assert.throws(
    () => validateJob({ ...hier, step: { ...hier.step, step: 'estep' } }, 'job 5'),
    /job 5: step: expected pop: an estep or posterior step needs the population prior/,
  );
  assert.throws(
    () => validateJob({ ...hier, step: { ...hier.step, state: { ...hier.step.state, v: 'not base64!' } } }, 'job 6'),
    /job 6: step\.state\.v: expected float64 values as base64/,
  );
  assert.throws(
    () => validateJob({ ...hier, step: { ...hier.step, options: { run: 'code' } } }, 'job 7'),
    /job 7: step\.options: expected numbers and booleans only/,
  );
  assert.equal(refusal(good, JS_BACKEND), null);
  assert.match(refusal({ ...good, toolkitVersion: '9.9.9' }, JS_BACKEND) ?? '', /made by jartcal 9\.9\.9, this worker is jartcal/);
  assert.match(refusal({ ...good, backend: 'tfjs-wasm' }, JS_BACKEND) ?? '', /needs the numeric backend tfjs-wasm/);
});

test('grid files are checked and the summary is mean ± sample sd per configuration beside the paper', () => {
  assert.throws(
    () => checkGrid({ schema: 'jartcal.crossbar-grid/1', name: 'g', experiments: ['a.json'], seeds: [1, 1] }, 'g.json'),
    /g\.json: seeds: expected no seed listed twice/,
  );
  assert.throws(
    () => checkGrid({ schema: 'jartcal.crossbar-grid/1', name: 'g', experiments: [], seeds: [1] }, 'g.json'),
    /g\.json: experiments: expected a non-empty array of config file names/,
  );
  const run = (configuration: string, seed: number, paper: number | null) =>
    ({
      key: `${configuration}/seed-${seed}`,
      configuration,
      seed,
      paperAccuracy: paper,
      config: { training: { epochs: 1, trainSamples: 100 } },
    }) as unknown as SweepRun;
  const runs = [run('a', 1, 90), run('a', 2, 90), run('a', 3, 90), run('b', 1, null)];
  const rows = summarizeSweep(
    runs,
    new Map([
      ['a/seed-1', 80],
      ['a/seed-2', 82],
      ['a/seed-3', 84],
      ['b/seed-1', 50],
    ]),
  );
  assert.equal(rows[0].mean, 82);
  assert.equal(rows[0].sd, 2); // sample sd of 80, 82, 84
  assert.equal(rows[0].diff, -8);
  assert.equal(rows[1].sd, 0);
  assert.match(sweepCsv(rows), /^a,3,1 2 3,82\.00,2\.00,90\.00,-8\.00,1,100$/m);
});
