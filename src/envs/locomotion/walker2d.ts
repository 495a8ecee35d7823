/**
 * Walker2d-v2 / -v5 (Gymnasium `walker2d_v5.py`, gym `walker2d.py`). Healthy:
 * 0.8 < height qpos[1] < 2 and −1 < angle qpos[2] < 1. v2: right foot friction 0.9 and
 * the alive bonus on the terminating step too; v5: both feet 1.9, bonus only while healthy.
 */
import { walker2dXml } from '../assets/walker2d.js';
import type { HealthCheck, LocomotionSpec } from './locomotion-spec.js';

export const walker2dIsHealthy: HealthCheck = (qpos) => {
  const z = qpos[1]!;
  const angle = qpos[2]!;
  return z > 0.8 && z < 2 && angle > -1 && angle < 1;
};

export function walker2dSpec(version: 'v2' | 'v5'): LocomotionSpec {
  const rightFootFriction = version === 'v2' ? 0.9 : 1.9;
  return {
    id: `Walker2d-${version}`,
    model: { name: `walker2d-${version}`, xml: walker2dXml(rightFootFriction) },
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
    isHealthy: walker2dIsHealthy,
    healthyReward: 1,
    healthyRewardWhenUnhealthy: version === 'v2',
    terminateWhenUnhealthy: true,
  };
}
