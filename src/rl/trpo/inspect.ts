/**
 * Rebuilds the policy loss of a checkpoint (its saved batch at its saved parameters),
 * runs backward, and returns the graph with shapes and gradient norms: what
 * `sr2l inspect` prints.
 */
import * as sr from '../../autograd/index.js';
import type { GraphJson, Tensor } from '../../autograd/index.js';
import { loadModule } from '../../nn/node.js';
import { join } from 'node:path';
import { ALGOS, type TrpoConfig } from './config.js';
import { GaussianMlpPolicy } from './gaussian-policy.js';
import { trpoObjective } from './objective.js';
import { checkpointDir, loadStepInputs } from '../run/checkpoint.js';
import { readRunRecord } from '../run/train-run.js';
import { openBackend } from '../compute-backend.js';

export interface InspectedLoss {
  loss: Tensor;
  graph: GraphJson;
  dot: string;
  /** gradient norm of every policy parameter */
  paramGradNorms: Record<string, number>;
}

export async function inspectLoss(runDir: string, iteration: number): Promise<InspectedLoss> {
  const { config: settings } = await readRunRecord(runDir);
  if (!(ALGOS as readonly string[]).includes(settings.algo))
    throw new Error(`${runDir}: inspect rebuilds TRPO(-SR) policy losses; this run is ${settings.algo}`);
  const config = settings as TrpoConfig;
  const batch = await loadStepInputs(runDir, iteration);
  const need = (k: string): Tensor => {
    const t = batch.get(k);
    if (!t) throw new Error(`${checkpointDir(runDir, iteration)}/batch.safetensors: no '${k}' tensor`);
    return t;
  };
  const obs = need('obs');
  const actions = need('actions');
  const backend = await openBackend(config.backend);
  const policy = new GaussianMlpPolicy({
    obsDim: obs.shape[1]!,
    actDim: actions.shape[1]!,
    hidden: config.hidden,
    dtype: config.dtype,
    backend,
  });
  await loadModule(join(checkpointDir(runDir, iteration), 'policy.safetensors'), policy);
  const objective = trpoObjective(
    policy,
    {
      obs: obs.named('obs'),
      actions: actions.named('actions'),
      advantages: need('advantages').named('advantages'),
      oldLogLik: need('oldLogLik').named('oldLogLik'),
      perturbedObs: batch.get('perturbedObs')?.named('obs+δ') ?? null,
    },
    config.lambdaS,
  );
  const params = policy.paramList();
  const names = policy.paramNames();
  params.forEach((p, i) => p.named(names[i]!));
  const loss = sr.enableGrad(() => objective.loss(...params));
  retainAll(loss);
  loss.backward();
  const paramGradNorms: Record<string, number> = {};
  params.forEach((p, i) => {
    const g = p.grad ? Math.sqrt(p.grad.square().sum().item()) : 0;
    paramGradNorms[names[i]!] = g;
  });
  return { loss, graph: sr.exportGraph(loss), dot: sr.toDot(loss), paramGradNorms };
}

/** Keeps .grad on every recorded tensor so the export shows each gradient norm. */
function retainAll(root: Tensor): void {
  const seen = new Set<Tensor>();
  const stack = [root];
  while (stack.length) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    if (!t.isLeaf && t.requiresGrad) t.retainGrad();
    for (const x of t.node?.inputs ?? []) if (x.requiresGrad) stack.push(x);
  }
}
