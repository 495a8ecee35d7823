/**
 * The one implementation of the five locomotion tasks (Swimmer, HalfCheetah, Hopper,
 * Walker2d, Ant) in every version: reward = forward progress + healthy bonus − ctrl cost
 * − contact cost, Gymnasium's observation layouts and health rules, all read from a
 * `LocomotionSpec`.
 */
import type { Rng } from '../../util/rng.js';
import type { StepInfo } from '../core/env.js';
import { type Box, box } from '../core/space.js';
import { MujocoEnv } from '../mujoco/mujoco-env.js';
import type { LocomotionSpec } from './locomotion-spec.js';

/** Index of the torso in the body list (0 is the world body). */
const TORSO = 1;

export class LocomotionEnv extends MujocoEnv {
  readonly observationSpace: Box;
  private readonly obs: Float64Array;
  private readonly contactStart: number;
  private readonly contactLen: number;

  constructor(readonly spec: LocomotionSpec) {
    super(spec.id, spec.model, spec.frameSkip);
    const nbody = this.model.nbody;
    this.contactStart = spec.contactBodies === 'skip-world' ? 6 : 0;
    this.contactLen = spec.contactBodies === 'none' ? 0 : (nbody - this.contactStart / 6) * 6;
    const dim = this.nq - spec.excludedQpos + this.nv + this.contactLen;
    this.obs = new Float64Array(dim);
    this.observationSpace = box(dim, -Infinity, Infinity);
    this.computeContactForces = this.contactLen > 0 && spec.contactForces === 'computed';
  }

  protected resetState(rng: Rng): StepInfo {
    const s = this.spec.resetNoiseScale;
    const qvelNoise = this.spec.qvelNoise === 'normal' ? () => s * rng.normal() : () => rng.uniform(-s, s);
    this.setNoisyState(() => rng.uniform(-s, s), qvelNoise);
    // like Gymnasium, no mj_rnePostConstraint here: the reset observation's contact block
    // is what mj_resetData left in cfrc_ext (zeros)
    const v = this.views.fresh();
    const info: StepInfo = { xPosition: v.qpos[0]! };
    if (this.spec.reportY) info.yPosition = v.qpos[1]!;
    return info;
  }

  protected advance(action: ArrayLike<number>): { reward: number; terminated: boolean; info: StepInfo } {
    const spec = this.spec;
    let v = this.views.fresh();
    const [x0, y0] = this.progressXY(v.qpos, v.xpos);
    this.simulate(action);
    v = this.views.fresh();
    const [x1, y1] = this.progressXY(v.qpos, v.xpos);
    const xVelocity = (x1 - x0) / this.dt;

    let sq = 0;
    for (let i = 0; i < action.length; i++) sq += action[i]! * action[i]!;
    const healthy = spec.isHealthy === null || spec.isHealthy(v.qpos, v.qvel);

    const info: StepInfo = {
      rewardForward: spec.forwardRewardWeight * xVelocity,
      rewardCtrl: 0 - spec.ctrlCostWeight * sq, // 0 − x, not −x: no −0 for a zero action
    };
    if (this.contactLen > 0) info.rewardContact = 0 - spec.contactCostWeight * this.contactSquareSum();
    if (spec.isHealthy !== null) {
      info.rewardSurvive = healthy || spec.healthyRewardWhenUnhealthy ? spec.healthyReward : 0;
    }
    let reward = 0;
    for (const k in info) reward += info[k]!;
    info.xPosition = v.qpos[0]!;
    info.xVelocity = xVelocity;
    if (spec.reportY) {
      info.yPosition = v.qpos[1]!;
      info.yVelocity = (y1 - y0) / this.dt;
    }
    return { reward, terminated: !healthy && spec.terminateWhenUnhealthy, info };
  }

  protected observation(): Float64Array {
    const { qpos, qvel, cfrcExt } = this.views.fresh();
    const o = this.obs;
    let j = 0;
    for (let i = this.spec.excludedQpos; i < this.nq; i++) o[j++] = qpos[i]!;
    const c = this.spec.obsQvelClip;
    for (let i = 0; i < this.nv; i++) o[j++] = c === null ? qvel[i]! : clip(qvel[i]!, c);
    if (this.contactLen > 0) {
      const zero = this.spec.contactForces === 'zero';
      for (let i = 0; i < this.contactLen; i++) o[j++] = zero ? 0 : clip(cfrcExt[this.contactStart + i]!, 1);
    }
    return o;
  }

  private contactSquareSum(): number {
    if (this.spec.contactForces === 'zero') return 0;
    const f = this.views.fresh().cfrcExt;
    let s = 0;
    for (let i = 0; i < this.contactLen; i++) {
      const c = clip(f[this.contactStart + i]!, 1);
      s += c * c;
    }
    return s;
  }

  private progressXY(qpos: Float64Array, xpos: Float64Array): [number, number] {
    return this.spec.progress === 'qpos' ? [qpos[0]!, qpos[1]!] : [xpos[3 * TORSO]!, xpos[3 * TORSO + 1]!];
  }
}

function clip(x: number, c: number): number {
  return x < -c ? -c : x > c ? c : x;
}
