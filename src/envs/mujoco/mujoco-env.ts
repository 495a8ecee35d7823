/**
 * An environment backed by one MjData over a shared compiled MjModel: Gymnasium's
 * `MujocoEnv` mechanics (ctrl = raw action, `mj_step` × frame_skip, then
 * `mj_rnePostConstraint` so `cfrc_ext` is filled; reset = `mj_resetData` + noisy state +
 * `mj_forward`). Subclasses define the task: observation, reward, termination.
 */
import type { MainModule, MjData, MjModel } from 'mujoco-js';
import { BaseEnv } from '../core/base-env.js';
import { type Box, box } from '../core/space.js';
import { DataViews, heapBytesOf } from './data-views.js';
import { acquireModel, releaseModel } from './model-cache.js';
import { mujoco } from './runtime.js';

export interface MujocoModelSource {
  /** Short name, used in error messages and the in-memory file name. */
  name: string;
  /** MJCF text. */
  xml: string;
}

export abstract class MujocoEnv extends BaseEnv {
  readonly actionSpace: Box;
  readonly dt: number;
  readonly model: MjModel;
  protected readonly mj: MainModule;
  /** This environment's MjData (state, contacts, sensors) for analysis; do not free it. */
  readonly data: MjData;
  protected readonly views: DataViews;
  /** qpos0 of the model (the noise-free initial position). */
  protected readonly initQpos: Float64Array;
  readonly nq: number;
  readonly nv: number;
  readonly nu: number;

  /** Whether `simulate` runs `mj_rnePostConstraint` (only tasks that read `cfrc_ext` pay for it). */
  protected computeContactForces = false;

  constructor(
    id: string,
    source: MujocoModelSource,
    readonly frameSkip: number,
  ) {
    super(id);
    if (!Number.isInteger(frameSkip) || frameSkip < 1) {
      throw new RangeError(`${id}: frameSkip must be a positive integer, got ${frameSkip}`);
    }
    this.mj = mujoco();
    this.model = acquireModel(source.name, source.xml);
    this.data = new this.mj.MjData(this.model);
    this.views = new DataViews(this.data);
    const m = this.model;
    this.nq = m.nq;
    this.nv = m.nv;
    this.nu = m.nu;
    this.initQpos = Float64Array.from(m.qpos0 as Float64Array);
    const range = m.actuator_ctrlrange as Float64Array;
    this.actionSpace = box(
      m.nu,
      Array.from({ length: m.nu }, (_, i) => range[2 * i]!),
      Array.from({ length: m.nu }, (_, i) => range[2 * i + 1]!),
    );
    this.dt = m.opt.timestep * frameSkip;
  }

  /**
   * Resets MjData and sets qpos = qpos0 + U(±qposNoise), qvel = noise from `qvelNoise`
   * (drawn after the qpos noise, in index order), then runs `mj_forward`.
   */
  protected setNoisyState(qposNoise: () => number, qvelNoise: () => number): void {
    this.mj.mj_resetData(this.model, this.data);
    const v = this.views.fresh();
    for (let i = 0; i < this.nq; i++) v.qpos[i] = this.initQpos[i]! + qposNoise();
    for (let i = 0; i < this.nv; i++) v.qvel[i] = qvelNoise();
    this.mj.mj_forward(this.model, this.data);
  }

  /** Bytes of WASM memory (the whole MuJoCo heap, shared by every env in this thread). */
  heapBytes(): number {
    return heapBytesOf(this.data);
  }

  /** A copy of qpos, read from MjData directly (not through the cached views). */
  getQpos(): Float64Array {
    return Float64Array.from(this.data.qpos as Float64Array);
  }

  /** A copy of qvel, read from MjData directly. */
  getQvel(): Float64Array {
    return Float64Array.from(this.data.qvel as Float64Array);
  }

  /** A copy of body `body`'s world position (`xpos`, as of the last kinematics pass). */
  getBodyPosition(body: number): Float64Array {
    return Float64Array.from((this.data.xpos as Float64Array).subarray(3 * body, 3 * body + 3));
  }

  /**
   * Sets the physical state (Gymnasium's `set_state`) and recomputes kinematics; the
   * next observation reflects it. For tests and analysis; the episode continues.
   */
  setState(qpos: ArrayLike<number>, qvel: ArrayLike<number>): void {
    if (this.closed) throw new Error(`${this.id}: setState() on a closed environment`);
    if (qpos.length !== this.nq || qvel.length !== this.nv) {
      throw new RangeError(
        `${this.id}: setState needs qpos of ${this.nq} and qvel of ${this.nv}, got ${qpos.length}/${qvel.length}`,
      );
    }
    const v = this.views.fresh();
    v.qpos.set(qpos);
    v.qvel.set(qvel);
    this.mj.mj_forward(this.model, this.data);
  }

  /**
   * ctrl ← action (MuJoCo clamps it to ctrlrange itself), then frame_skip physics steps,
   * then `mj_rnePostConstraint` when the task reads `cfrc_ext` (it changes no state).
   */
  protected simulate(action: ArrayLike<number>): void {
    const ctrl = this.views.fresh().ctrl;
    for (let i = 0; i < this.nu; i++) ctrl[i] = action[i]!;
    for (let k = 0; k < this.frameSkip; k++) this.mj.mj_step(this.model, this.data);
    if (this.computeContactForces) this.mj.mj_rnePostConstraint(this.model, this.data);
  }

  protected override release(): void {
    this.data.delete();
    releaseModel(this.model);
  }
}
