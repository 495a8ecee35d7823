/** The update as training runs it: src/rl/ddpg/update.ts, on a given backend (default: the CPU backend). */
import * as sr from '../../src/index.js';
import { buildLearner, stackLearners } from '../../src/rl/ddpg/learner.js';
import { ddpgUpdate, type BatchTensors, type DdpgLearner } from '../../src/rl/ddpg/update.js';
import { Rng } from '../../src/util/rng.js';
import { ACT, BATCH, HIDDEN, HYPER, OBS, batchData, type BenchAlgo } from './setup.js';

const SPEC = {
  obsDim: OBS,
  low: new Array<number>(ACT).fill(-1),
  high: new Array<number>(ACT).fill(1),
  actorLr: HYPER.actorLr,
  criticLr: HYPER.criticLr,
};

/** A learner as training builds it: actor, critic, their targets (copies) and Adam optimizers. */
function learner(rng: Rng, backend: sr.Backend): DdpgLearner {
  return buildLearner(SPEC, (role) => ({
    hidden: HIDDEN,
    activation: 'relu' as const,
    dtype: 'float32' as const,
    backend,
    rng: rng.fork(role === 'actor' || role === 'targetActor' ? 'actor' : 'critic'),
  }));
}

/** The stacked learner of `population` members (as DdpgPopulation builds it). */
function stackedLearner(population: number, backend: sr.Backend): DdpgLearner {
  return stackLearners(
    SPEC,
    Array.from({ length: population }, (_, k) => learner(new Rng(k), backend)),
  );
}

/** `n` copies of `a` end to end (every member gets the same minibatch: the cost does not depend on the values). */
function tile(a: Float32Array, n: number): Float32Array {
  const out = new Float32Array(a.length * n);
  for (let k = 0; k < n; k++) out.set(a, k * a.length);
  return out;
}

export interface UpdateOptions {
  /** > 1: one stacked update of that many members on [S, 64, ...] (default 1) */
  population?: number;
  /** run through sr.compile (traced on the first call, replayed after); 'fused' also fuses elementwise runs */
  compiled?: boolean | 'fused';
  /** receives the compiled function */
  onCompiled?: (f: sr.CompiledFunction<[BatchTensors], unknown>) => void;
}

/** The update as training runs it (src/rl/ddpg/update.ts) on `backend` (default: the CPU backend). */
export function update(
  algo: BenchAlgo,
  backend: sr.Backend = sr.cpuBackend,
  { population = 1, compiled = false, onCompiled }: UpdateOptions = {},
): () => void {
  const l = population === 1 ? learner(new Rng(0), backend) : stackedLearner(population, backend);
  const d = Object.fromEntries(
    Object.entries(batchData()).map(([k, a]) => [k, population === 1 ? a : tile(a, population)]),
  ) as ReturnType<typeof batchData>;
  const lead = population === 1 ? [] : [population];
  const col = (a: Float32Array, shape: number[]) => sr.tensor(a, { shape: [...lead, ...shape], backend });
  const settings = {
    algo,
    gamma: HYPER.gamma,
    tau: HYPER.tau,
    lambda: HYPER.lambda,
    criticRegBothTerms: false,
    perturbation: {
      eps: HYPER.eps,
      steps: HYPER.steps,
      stepSize: 0.2 * HYPER.eps,
      ascent: 'sign' as const,
      generator: population === 1 ? sr.rng(1) : Array.from({ length: population }, (_, k) => sr.rng(1 + k)),
    },
  };
  const eager = (b: BatchTensors): unknown => ddpgUpdate(l, b, settings);
  let step = eager;
  if (compiled !== false) {
    const c = sr.compile(eager, { name: `${algo} update`, outputs: 'reuse', fuse: compiled === 'fused' });
    onCompiled?.(c);
    step = c;
  }
  return () => {
    // a fresh upload per update, as training does
    const batch = {
      obs: col(d.obs, [BATCH, OBS]),
      action: col(d.action, [BATCH, ACT]),
      reward: col(d.reward, [BATCH]),
      nextObs: col(d.nextObs, [BATCH, OBS]),
      terminal: col(d.terminal, [BATCH]),
    };
    step(batch);
  };
}
