/** The update as training runs it: src/rl/ddpg/update.ts, on a given backend (default: the CPU backend). */
import * as sr from '../../src/index.js';
import { Critic, DeterministicActor } from '../../src/rl/ddpg/networks.js';
import { ddpgUpdate, type BatchTensors, type DdpgLearner } from '../../src/rl/ddpg/update.js';
import { hardUpdate } from '../../src/rl/ddpg/polyak.js';
import { Adam } from '../../src/nn/index.js';
import { Rng } from '../../src/util/rng.js';
import { ACT, BATCH, HIDDEN, HYPER, OBS, batchData, type BenchAlgo } from './setup.js';

/**
 * With `compiled`, the update runs through sr.compile (traced on the first call, replayed
 * after); 'fused' also fuses its elementwise runs. `onCompiled` receives the compiled function.
 */
export function update(
  algo: BenchAlgo,
  backend: sr.Backend = sr.cpuBackend,
  compiled: boolean | 'fused' = false,
  onCompiled?: (f: sr.CompiledFunction<[BatchTensors], unknown>) => void,
): () => void {
  const rng = new Rng(0);
  const net = (name: string) => ({
    hidden: HIDDEN,
    activation: 'relu' as const,
    dtype: 'float32' as const,
    backend,
    rng: rng.fork(name),
  });
  const low = new Array<number>(ACT).fill(-1);
  const high = new Array<number>(ACT).fill(1);
  const actor = new DeterministicActor(OBS, low, high, net('actor'));
  const critic = new Critic(OBS, ACT, net('critic'));
  const targetActor = new DeterministicActor(OBS, low, high, net('actor'));
  const targetCritic = new Critic(OBS, ACT, net('critic'));
  hardUpdate(targetActor, actor);
  hardUpdate(targetCritic, critic);
  const l: DdpgLearner = {
    actor,
    critic,
    targetActor,
    targetCritic,
    actorOpt: new Adam(actor.namedParameters(), { lr: HYPER.actorLr }),
    criticOpt: new Adam(critic.namedParameters(), { lr: HYPER.criticLr }),
  };
  const d = batchData();
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
      generator: sr.rng(1),
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
      obs: sr.tensor(d.obs, { shape: [BATCH, OBS], backend }),
      action: sr.tensor(d.action, { shape: [BATCH, ACT], backend }),
      reward: sr.tensor(d.reward, { shape: [BATCH], backend }),
      nextObs: sr.tensor(d.nextObs, { shape: [BATCH, OBS], backend }),
      terminal: sr.tensor(d.terminal, { shape: [BATCH], backend }),
    };
    step(batch);
  };
}
