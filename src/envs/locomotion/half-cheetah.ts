/** HalfCheetah-v2 / -v5 (Gymnasium `half_cheetah_v5.py`, gym `half_cheetah.py`): identical semantics. */
import { halfCheetahXml } from '../assets/half-cheetah.js';
import type { LocomotionSpec } from './locomotion-spec.js';

export function halfCheetahSpec(version: 'v2' | 'v5'): LocomotionSpec {
  return {
    id: `HalfCheetah-${version}`,
    model: { name: 'half-cheetah', xml: halfCheetahXml },
    frameSkip: 5,
    forwardRewardWeight: 1,
    ctrlCostWeight: 0.1,
    resetNoiseScale: 0.1,
    qvelNoise: 'normal',
    excludedQpos: 1,
    obsQvelClip: null,
    contactBodies: 'none',
    contactForces: 'computed',
    contactCostWeight: 0,
    progress: 'qpos',
    reportY: false,
    isHealthy: null,
    healthyReward: 0,
    healthyRewardWhenUnhealthy: false,
    terminateWhenUnhealthy: false,
  };
}
