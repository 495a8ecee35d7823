/**
 * The optimizer base: parameters by name, optional global-norm clipping, per-parameter
 * state slots (Adam's m and v, SGD's momentum) created as zeros on first use, and a state
 * dict (slots, step count, hyperparameters) that resumes a run exactly.
 *
 * step() runs under noGrad and changes parameter storage in place through the backend's
 * optimizer kernels, so the parameter Tensor objects (held by modules) stay the same.
 */
import { onReplay, untraced } from '../../autograd/compile/hooks.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { Tensor } from '../../autograd/tensor.js';
import { fmtShape } from '../../kernels/shape.js';
import { checkNumber } from '../checks.js';
import { cloneTensor, copyInto } from '../tensor-copy.js';
import { clipTensors } from './clip.js';
import { namedParams, type ParamsLike } from './params.js';

export interface OptimizerState {
  /** 'adam' or 'sgd': a state loads only into the same kind */
  kind: string;
  /** steps taken so far (Adam's bias correction depends on it) */
  step: number;
  /** hyperparameters (lr, betas, ..., maxGradNorm when set) */
  hyper: Record<string, number>;
  /** per-parameter slots keyed `<slot>.<parameter name>`, e.g. `m.layers.0.weight` */
  tensors: Map<string, Tensor>;
}

export interface LoadOptimizerOptions {
  /** Named in error messages (a file path, for example). */
  source?: string;
}

export abstract class Optimizer {
  readonly params: ReadonlyMap<string, Tensor>;
  /** Clip gradients to this global norm before each step (null: no clipping). */
  maxGradNorm: number | null;
  /** Steps taken. */
  stepCount = 0;
  /** The global gradient norm before clipping at the last step, as a scalar tensor (set when clipping). */
  lastGradNorm: Tensor | null = null;
  abstract readonly kind: string;
  /** Names of the per-parameter state tensors. */
  protected abstract readonly slots: readonly string[];
  private readonly state = new Map<string, Record<string, Tensor>>();

  constructor(params: ParamsLike, maxGradNorm: number | undefined, who: string) {
    this.params = namedParams(params, who);
    this.maxGradNorm = maxGradNorm === undefined ? null : this.checkMaxGradNorm(maxGradNorm, who);
  }

  private checkMaxGradNorm(v: unknown, who: string): number {
    return checkNumber(who, 'maxGradNorm', v, { min: 0, minExclusive: true });
  }

  /** Current hyperparameters, without maxGradNorm. */
  protected abstract hyper(): Record<string, number>;
  /** Validates and sets hyperparameters (the same fields hyper() returns). */
  protected abstract setHyper(h: Record<string, number>, who: string): void;
  /** Updates p in place from gradient g (already clipped); `slots` are this parameter's state. */
  protected abstract update(p: Tensor, g: Tensor, slots: Record<string, Tensor>): void;

  /** Runs after the step count moves, before the parameters' updates (Adam refreshes its kernel hyperparameters). */
  protected beforeUpdates(): void {}

  zeroGrad(): void {
    for (const p of this.params.values()) p.zeroGrad();
  }

  /** One update of every parameter that has a gradient (those without one are left alone). */
  step(): void {
    noGrad(() => {
      const names: string[] = [];
      const grads: Tensor[] = [];
      for (const [name, p] of this.params) {
        const g = p.grad;
        if (!g) continue;
        p.assertAlive(`${this.kind}.step ('${name}')`);
        if (g.dtype !== p.dtype || g.size !== p.size) {
          throw new Error(
            `${this.kind}.step: the gradient of '${name}' is ${g.dtype} ${fmtShape(g.shape)}, the parameter ${p.dtype} ${fmtShape(p.shape)}`,
          );
        }
        names.push(name);
        grads.push(g);
      }
      let used = grads;
      if (this.maxGradNorm !== null) {
        const { norm, clipped } = clipTensors(grads, this.maxGradNorm);
        this.lastGradNorm = norm;
        used = clipped;
      }
      // host bookkeeping a compiled step repeats on every replay
      const advance = (): void => {
        this.stepCount++;
        this.beforeUpdates();
      };
      advance();
      onReplay(advance);
      names.forEach((name, i) => this.update(this.params.get(name)!, used[i]!, this.slotsOf(name)));
      if (used !== grads) for (const t of used) t.dispose();
    });
  }

  private slotsOf(name: string): Record<string, Tensor> {
    let s = this.state.get(name);
    if (!s) {
      const p = this.params.get(name)!;
      const made: Record<string, Tensor> = {};
      // state, not part of a compiled step: made once, then read and updated by reference
      untraced(() => {
        for (const slot of this.slots)
          made[slot] = new Tensor(p.backend.fill(p.dtype, p.size, 0), p.shape.slice(), p.backend);
      });
      this.state.set(name, (s = made));
    }
    return s;
  }

  /** A snapshot (copies) of the step count, hyperparameters and per-parameter slots. */
  stateDict(): OptimizerState {
    const tensors = new Map<string, Tensor>();
    for (const [name, s] of this.state)
      for (const slot of this.slots) tensors.set(`${slot}.${name}`, cloneTensor(s[slot]!));
    const hyper = this.hyper();
    if (this.maxGradNorm !== null) hyper.maxGradNorm = this.maxGradNorm;
    return { kind: this.kind, step: this.stepCount, hyper, tensors };
  }

  /** Restores a stateDict(); everything is checked before anything changes. */
  loadStateDict(state: OptimizerState, opts: LoadOptimizerOptions = {}): void {
    const who = `${this.kind}.loadStateDict${opts.source ? ` (${opts.source})` : ''}`;
    if (state.kind !== this.kind)
      throw new TypeError(`${who}: the state is for '${state.kind}', not '${this.kind}'`);
    if (!Number.isSafeInteger(state.step) || state.step < 0) {
      throw new RangeError(`${who}: step must be a non-negative integer, got ${state.step}`);
    }
    const { maxGradNorm, ...hyper } = state.hyper;
    const expected = Object.keys(this.hyper());
    const extra = Object.keys(hyper).filter((k) => !expected.includes(k));
    const absent = expected.filter((k) => !(k in hyper));
    if (extra.length || absent.length) {
      throw new Error(
        `${who}: hyperparameters ${absent.length ? `missing: ${absent.join(', ')}` : ''}${absent.length && extra.length ? '; ' : ''}${extra.length ? `unexpected: ${extra.join(', ')}` : ''}`,
      );
    }
    if (maxGradNorm !== undefined) this.checkMaxGradNorm(maxGradNorm, who);
    const byParam = new Map<string, Record<string, Tensor>>();
    for (const [key, t] of state.tensors) {
      const slot = this.slots.find((s) => key.startsWith(`${s}.`));
      const name = slot === undefined ? undefined : key.slice(slot.length + 1);
      const p = name === undefined ? undefined : this.params.get(name);
      if (!p) {
        throw new Error(
          `${who}: unexpected key '${key}' (expected <${this.slots.join('|')}>.<parameter name> for parameters ${[...this.params.keys()].join(', ')})`,
        );
      }
      if (!(t instanceof Tensor)) throw new TypeError(`${who}: '${key}' is not a Tensor`);
      if (
        t.dtype !== p.dtype ||
        t.shape.length !== p.shape.length ||
        t.shape.some((d, i) => d !== p.shape[i])
      ) {
        throw new RangeError(
          `${who}: '${key}' is ${t.dtype} ${fmtShape(t.shape)}, the parameter '${name}' is ${p.dtype} ${fmtShape(p.shape)}`,
        );
      }
      const rec = byParam.get(name!) ?? {};
      rec[slot!] = t;
      byParam.set(name!, rec);
    }
    for (const [name, rec] of byParam) {
      const absentSlots = this.slots.filter((s) => !rec[s]);
      if (absentSlots.length)
        throw new Error(`${who}: missing ${absentSlots.map((s) => `'${s}.${name}'`).join(', ')}`);
    }
    this.setHyper(hyper, who);
    this.maxGradNorm = maxGradNorm ?? null;
    this.stepCount = state.step;
    this.state.clear();
    for (const [name, rec] of byParam) {
      const s = this.slotsOf(name);
      for (const slot of this.slots) copyInto(s[slot]!, rec[slot]!);
    }
  }
}
