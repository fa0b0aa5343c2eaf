/**
 * Runs one job's work (inside a worker thread of the local pool or of a queue worker): a fit job's
 * devices one after the other, a hierarchical fit's step of one device, a crossbar run from its checkpoint, or an echo. Progress goes to
 * `emit` as it happens; the result is returned. Reads nothing but the job and the installation's
 * own MNIST copy.
 */
import { runScheduledJob } from '../fit/scheduler.js';
import { runHierStep, type HierStepResult } from '../fit/hier/step.js';
import type { FitEvent } from '../fit/campaign.js';
import { decodeCheckpoint, encodeCheckpoint, runInSitu } from '../crossbar/experiment/sweep.js';
import type { Dataset } from '../crossbar/experiment/inSitu.js';
import { loadMnist } from '../io/mnist.js';
import type { CrossbarJobResult, FitJobResult, JobData, JobProgress } from './jobs.js';
import { JS_BACKEND } from './jobs.js';

const mnist = new Map<string, Dataset>();
function data(split: 'train' | 'test', n: number): Dataset {
  const k = `${split}:${n}`;
  let d = mnist.get(k);
  if (!d) {
    d = loadMnist(split, n);
    mnist.set(k, d);
  }
  return d;
}

export async function executeJob(
  job: JobData,
  emit: (p: JobProgress) => void,
): Promise<FitJobResult | HierStepResult | CrossbarJobResult | number> {
  if (job.kind === 'echo') return job.value;
  if (job.kind === 'hier') return runHierStep(job.step, job.settings);
  if (job.kind === 'fit') {
    const events: FitEvent[] = [];
    for (const d of job.devices) {
      runScheduledJob({ job: d.job, done: d.done, prior: job.prior ?? undefined }, job.settings, (e) => {
        events.push(e);
        emit({ kind: 'records', events: [e] });
      });
    }
    return { events };
  }
  const cfg = job.config,
    t = cfg.training;
  const train = data('train', t.trainSamples),
    test = data('test', t.testSamples);
  if (cfg.mode === 'digital') {
    const { initTf } = await import('../crossbar/train/tf.js');
    const { trainDigital } = await import('../crossbar/train/digital.js');
    const backend = await initTf();
    const { records } = trainDigital(cfg, train, test, 0);
    return { records: records.map((x) => ({ ...x, pulsesApplied: 0, coincidences: 0 })), backend: `tfjs-${backend}` };
  }
  const records = runInSitu(cfg, train, test, job.resume ? decodeCheckpoint(job.resume) : null, {
    onEpoch: (cp) =>
      emit({ kind: 'epoch', epochsDone: cp.epochsDone, record: cp.records[cp.records.length - 1], checkpoint: encodeCheckpoint(cp) }),
  });
  return { records, backend: JS_BACKEND };
}
