/**
 * Loading a trained agent from a run folder for evaluation: folders written by `sr2l train`
 * go through trained-agents.ts; other tools can register a loader per algorithm or write
 * the plain MLP checkpoint format below.
 *
 * `checkpoints/policy.safetensors`: `mean.<i>.weight` [in, out] and `mean.<i>.bias` for
 * each layer, optional `logStd` [actDim] (Gaussian policy). Metadata (all optional):
 * `hidden` / `output` activation (default tanh / none), `obs_mean` / `obs_var` (JSON arrays
 * of a frozen observation normalizer: the policy sees clip((obs − mean)/√(var + 1e-8), ±10)).
 * `checkpoints/critic.safetensors` (optional): `q.<i>.weight` / `q.<i>.bias` of an MLP
 * Q(obs, act) on the concatenation [obs, act] (normalized obs when a normalizer is given),
 * with `hidden` activation metadata (default relu).
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import { ACTIVATIONS, type Activation } from '../../kernels/backend.js';
import type { FloatDType } from '../../kernels/dtype.js';
import { loadSafetensors } from '../../nn/safetensors-file.js';
import { observationNormalizer } from './normalizer.js';
import type { Critic, EvalAgent, EvalPolicy } from './policy.js';
import { TRAINED_AGENT_LOADERS } from './trained-agents.js';

export type AgentLoader = (runDir: string) => Promise<EvalAgent>;

const loaders = new Map<string, AgentLoader>();

/** Lets an algorithm (e.g. 'trpo', 'ddpg-sr-a') load its checkpoints its own way. */
export function registerAgentLoader(algo: string, loader: AgentLoader): void {
  loaders.set(algo, loader);
}

/**
 * The agent of a run folder: a registered loader for `algo` first; else, for folders
 * `sr2l train` wrote (checkpoints/latest.json), the trainer's own networks; else the MLP
 * checkpoint format above. `iteration` picks one of the checkpoints `sr2l train` kept
 * (default the newest); the other formats hold a single checkpoint, so they refuse it.
 */
export async function loadAgent(runDir: string, algo: string, iteration?: number): Promise<EvalAgent> {
  const registered = loaders.get(algo);
  const trained = TRAINED_AGENT_LOADERS.get(algo);
  const trainRun = !registered && !!trained && (await exists(join(runDir, 'checkpoints', 'latest.json')));
  if (iteration !== undefined && !trainRun)
    throw new Error(
      `${runDir}: choosing a checkpoint iteration needs a run folder sr2l train wrote (checkpoints/latest.json)`,
    );
  if (registered) return registered(runDir);
  if (trainRun) return trained!(runDir, iteration);
  return loadMlpAgent(runDir);
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

interface Layers {
  weights: Tensor[];
  biases: Tensor[];
}

function layersOf(file: string, tensors: Map<string, Tensor>, prefix: string): Layers {
  const out: Layers = { weights: [], biases: [] };
  for (let i = 0; tensors.has(`${prefix}.${i}.weight`); i++) {
    const w = tensors.get(`${prefix}.${i}.weight`)!;
    const b = tensors.get(`${prefix}.${i}.bias`);
    if (!b) throw new Error(`${file}: '${prefix}.${i}.weight' has no '${prefix}.${i}.bias'`);
    if (w.ndim !== 2 || b.ndim !== 1 || b.shape[0] !== w.shape[1])
      throw new Error(
        `${file}: layer ${i} has weight [${w.shape}] and bias [${b.shape}]; expected [in, out] and [out]`,
      );
    if (i > 0 && out.weights[i - 1]!.shape[1] !== w.shape[0])
      throw new Error(
        `${file}: layer ${i} takes ${w.shape[0]} inputs but layer ${i - 1} gives ${out.weights[i - 1]!.shape[1]}`,
      );
    out.weights.push(w);
    out.biases.push(b);
  }
  if (out.weights.length === 0)
    throw new Error(`${file}: no '${prefix}.0.weight' tensor: not an MLP checkpoint`);
  return out;
}

function activation(
  file: string,
  meta: Record<string, string>,
  key: string,
  fallback: Activation,
): Activation {
  const a = meta[key] ?? fallback;
  if (!(ACTIVATIONS as readonly string[]).includes(a))
    throw new Error(`${file}: metadata '${key}' is '${a}'; allowed: ${ACTIVATIONS.join(', ')}`);
  return a as Activation;
}

function mlp(layers: Layers, hidden: Activation, output: Activation): (x: Tensor) => Tensor {
  const last = layers.weights.length - 1;
  return (x) => {
    for (let i = 0; i <= last; i++)
      x = sr.linear(x, layers.weights[i]!, layers.biases[i]!, i === last ? output : hidden);
    return x;
  };
}

function normalizerFromMetadata(
  file: string,
  meta: Record<string, string>,
  n: number,
  dtype: FloatDType,
): ((x: Tensor) => Tensor) | null {
  if (meta.obs_mean === undefined && meta.obs_var === undefined) return null;
  const parse = (key: string): number[] => {
    let v: unknown;
    try {
      v = JSON.parse(meta[key] ?? '');
    } catch {
      v = undefined;
    }
    if (!Array.isArray(v) || v.length !== n || !v.every((x) => Number.isFinite(x)))
      throw new Error(`${file}: metadata '${key}' must be a JSON array of ${n} numbers`);
    return v as number[];
  };
  return observationNormalizer(parse('obs_mean'), parse('obs_var'), dtype);
}

/** An EvalPolicy from MLP tensors (also what tests build by hand). */
export function mlpPolicy(
  layers: Layers,
  opts: {
    hidden?: Activation;
    output?: Activation;
    logStd?: Tensor;
    normalize?: ((x: Tensor) => Tensor) | null;
  } = {},
): EvalPolicy {
  const net = mlp(layers, opts.hidden ?? 'tanh', opts.output ?? 'none');
  const norm = opts.normalize ?? null;
  const w0 = layers.weights[0]!;
  return {
    obsDim: w0.shape[0]!,
    actDim: layers.weights[layers.weights.length - 1]!.shape[1]!,
    dtype: w0.dtype as FloatDType,
    mean: (obs) => net(norm ? norm(obs) : obs),
    ...(opts.logStd ? { logStd: opts.logStd } : {}),
  };
}

/** The default loader: the MLP checkpoint format described at the top of this file. */
export async function loadMlpAgent(runDir: string): Promise<EvalAgent> {
  const file = join(runDir, 'checkpoints', 'policy.safetensors');
  try {
    await access(file);
  } catch {
    throw new Error(`${runDir}: no policy checkpoint (expected ${file})`);
  }
  const { tensors, metadata } = await loadSafetensors(file);
  const layers = layersOf(file, tensors, 'mean');
  const obsDim = layers.weights[0]!.shape[0]!;
  const dtype = layers.weights[0]!.dtype as FloatDType;
  const normalize = normalizerFromMetadata(file, metadata, obsDim, dtype);
  const policy = mlpPolicy(layers, {
    hidden: activation(file, metadata, 'hidden', 'tanh'),
    output: activation(file, metadata, 'output', 'none'),
    logStd: tensors.get('logStd'),
    normalize,
  });
  if (policy.logStd && (policy.logStd.ndim !== 1 || policy.logStd.shape[0] !== policy.actDim))
    throw new Error(`${file}: 'logStd' has shape [${policy.logStd.shape}], expected [${policy.actDim}]`);
  const criticFile = join(runDir, 'checkpoints', 'critic.safetensors');
  let critic: Critic | undefined;
  if (await exists(criticFile)) {
    const c = await loadSafetensors(criticFile);
    const q = mlp(
      layersOf(criticFile, c.tensors, 'q'),
      activation(criticFile, c.metadata, 'hidden', 'relu'),
      'none',
    );
    critic = (obs, act) => q(sr.concat([normalize ? normalize(obs) : obs, act], -1)).reshape([obs.shape[0]!]);
  }
  return { policy, ...(critic ? { critic } : {}) };
}
