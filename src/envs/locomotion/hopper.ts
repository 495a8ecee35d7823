/**
 * Hopper-v2 / -v5 (Gymnasium `hopper_v5.py`, gym `hopper.py`). Healthy: every entry of
 * qpos[2:] and the unclipped qvel in (−100, 100), height qpos[1] > 0.7, |angle qpos[2]| < 0.2
 * (strict). v2 pays the alive bonus on the terminating step too, v5 only while healthy.
 */
import { hopperXml } from '../assets/hopper.js';
import type { HealthCheck, LocomotionSpec } from './locomotion-spec.js';

export const hopperIsHealthy: HealthCheck = (qpos, qvel) => {
  for (let i = 2; i < qpos.length; i++) if (!(Math.abs(qpos[i]!) < 100)) return false;
  for (let i = 0; i < qvel.length; i++) if (!(Math.abs(qvel[i]!) < 100)) return false;
  return qpos[1]! > 0.7 && Math.abs(qpos[2]!) < 0.2;
};

export function hopperSpec(version: 'v2' | 'v5'): LocomotionSpec {
  return {
    id: `Hopper-${version}`,
    model: { name: 'hopper', xml: hopperXml },
    frameSkip: 4,
    forwardRewardWeight: 1,
    ctrlCostWeight: 1e-3,
    resetNoiseScale: 5e-3,
    qvelNoise: 'uniform',
    excludedQpos: 1,
    obsQvelClip: 10,
    contactBodies: 'none',
    contactForces: 'computed',
    contactCostWeight: 0,
    progress: 'qpos',
    reportY: false,
    isHealthy: hopperIsHealthy,
    healthyReward: 1,
    healthyRewardWhenUnhealthy: version === 'v2',
    terminateWhenUnhealthy: true,
  };
}
