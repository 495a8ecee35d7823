/**
 * Population (stacked) modules: every parameter carries a leading axis of S members, and
 * member k's slice holds exactly what a single module (seed k) holds, under the same
 * parameter names. These helpers move values between a stacked module and its members,
 * so each member's checkpoint is written and read in the single-module format.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { concat, slice, stack } from '../autograd/ops/movement.js';
import { Tensor } from '../autograd/tensor.js';
import { fmtShape } from '../kernels/shape.js';
import type { Module, StateDict } from './module.js';
import type { OptimizerState } from './optim/optimizer.js';
import { cloneTensor, copyInto } from './tensor-copy.js';

/** The members' tensors stacked along a new leading axis: a new leaf (no graph). */
export function stackMembers(who: string, name: string, members: readonly Tensor[]): Tensor {
  if (members.length === 0) throw new RangeError(`${who}: needs at least one member`);
  const first = members[0]!;
  members.forEach((t, k) => {
    if (t.dtype !== first.dtype || t.backend !== first.backend || fmtShape(t.shape) !== fmtShape(first.shape))
      throw new RangeError(
        `${who}: member ${k}'s '${name}' is ${t.dtype} ${fmtShape(t.shape)} on ${t.backend.name}, member 0's is ${first.dtype} ${fmtShape(first.shape)} on ${first.backend.name}`,
      );
  });
  // stack copies (a stack of one too), so the stacked tensor owns its storage
  return noGrad(() => stack(members.map((t) => t.detach()))).detach();
}

/** The population size of a stacked module: the leading size every parameter shares. */
export function populationSize(stacked: Module): number {
  const sizes = new Set([...stacked.namedParameters().values()].map((p) => p.shape[0]));
  if (sizes.size !== 1 || [...sizes][0] === undefined)
    throw new RangeError(
      `populationSize: the parameters' leading sizes differ or are missing: ${[...stacked.namedParameters()].map(([n, p]) => `${n} ${fmtShape(p.shape)}`).join(', ')}`,
    );
  return [...sizes][0]!;
}

function checkMember(who: string, stacked: Module, k: number): number {
  const s = populationSize(stacked);
  if (!Number.isSafeInteger(k) || k < 0 || k >= s)
    throw new RangeError(`${who}: member ${k} is out of range for a population of ${s}`);
  return s;
}

/** Member k's parameters by name: detached copies in the single module's shapes. */
export function memberStateDict(stacked: Module, k: number): Map<string, Tensor> {
  checkMember('memberStateDict', stacked, k);
  const out = new Map<string, Tensor>();
  noGrad(() => {
    for (const [name, p] of stacked.namedParameters())
      out.set(name, cloneTensor(slice(p.detach(), [k], [k + 1]).reshape(p.shape.slice(1))));
  });
  return out;
}

/**
 * Writes a single module's state dict into member k's slice of every parameter, in place
 * (parameter Tensor objects stay the same, so optimizers keep working). Every key must
 * match a parameter whose slice has the same shape and dtype; nothing is written unless all do.
 */
export function loadMemberStateDict(stacked: Module, k: number, state: StateDict): void {
  const s = checkMember('loadMemberStateDict', stacked, k);
  const own = stacked.namedParameters();
  const given = new Map(state instanceof Map ? [...state.entries()] : Object.entries(state));
  const missing = [...own.keys()].filter((n) => !given.has(n));
  const unexpected = [...given.keys()].filter((n) => !own.has(n));
  if (missing.length || unexpected.length) {
    const parts = [];
    if (missing.length) parts.push(`missing keys: ${missing.join(', ')}`);
    if (unexpected.length) parts.push(`unexpected keys: ${unexpected.join(', ')}`);
    throw new Error(`loadMemberStateDict: member ${k}: ${parts.join('; ')}`);
  }
  for (const [name, p] of own) {
    const t = given.get(name)!;
    if (!(t instanceof Tensor) || fmtShape(t.shape) !== fmtShape(p.shape.slice(1)) || t.dtype !== p.dtype)
      throw new RangeError(
        `loadMemberStateDict: member ${k}: '${name}' is ${t instanceof Tensor ? `${t.dtype} ${fmtShape(t.shape)}` : 'not a Tensor'}; the population's ${p.dtype} ${fmtShape(p.shape)} needs ${p.dtype} ${fmtShape(p.shape.slice(1))}`,
      );
  }
  noGrad(() => {
    for (const [name, p] of own) {
      // the member's value, on the population's backend, as a [1, ...] block
      const value = new Tensor(p.backend.fill(p.dtype, p.size / s, 0), [1, ...p.shape.slice(1)], p.backend);
      copyInto(value, given.get(name)!);
      const blocks = Array.from({ length: s }, (_, i) => (i === k ? value : slice(p.detach(), [i], [i + 1])));
      const next = concat(blocks, 0);
      p.backend.assign(p.storage, next.storage);
      next.dispose();
      value.dispose();
    }
  });
}

/** Member k's optimizer state (step count, hyperparameters, its slice of every slot). */
export function memberOptimizerState(state: OptimizerState, k: number): OptimizerState {
  const tensors = new Map<string, Tensor>();
  noGrad(() => {
    for (const [key, t] of state.tensors) {
      if (k < 0 || k >= t.shape[0]!)
        throw new RangeError(
          `memberOptimizerState: member ${k} is out of range for '${key}' ${fmtShape(t.shape)}`,
        );
      tensors.set(key, cloneTensor(slice(t, [k], [k + 1]).reshape(t.shape.slice(1))));
    }
  });
  return { kind: state.kind, step: state.step, hyper: { ...state.hyper }, tensors };
}

/** The population's optimizer state from its members' (which must agree on kind, step and hyperparameters). */
export function stackOptimizerStates(states: readonly OptimizerState[]): OptimizerState {
  if (states.length === 0) throw new RangeError('stackOptimizerStates: needs at least one member state');
  const first = states[0]!;
  states.forEach((s, k) => {
    if (
      s.kind !== first.kind ||
      s.step !== first.step ||
      JSON.stringify(s.hyper) !== JSON.stringify(first.hyper)
    )
      throw new RangeError(
        `stackOptimizerStates: member ${k} is ${s.kind} at step ${s.step} with ${JSON.stringify(s.hyper)}, member 0 ${first.kind} at step ${first.step} with ${JSON.stringify(first.hyper)}`,
      );
  });
  const tensors = new Map<string, Tensor>();
  for (const key of first.tensors.keys()) {
    const parts = states.map((s, k) => {
      const t = s.tensors.get(key);
      if (!t) throw new RangeError(`stackOptimizerStates: member ${k} has no '${key}'`);
      return t;
    });
    tensors.set(key, stackMembers('stackOptimizerStates', key, parts));
  }
  return { kind: first.kind, step: first.step, hyper: { ...first.hyper }, tensors };
}
