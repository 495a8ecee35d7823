/** Swimmer-v2 / -v5 (Gymnasium `swimmer_v5.py`, gym `swimmer.py`): identical semantics. */
import { swimmerXml } from '../assets/swimmer.js';
import type { LocomotionSpec } from './locomotion-spec.js';

export function swimmerSpec(version: 'v2' | 'v5'): LocomotionSpec {
  return {
    id: `Swimmer-${version}`,
    model: { name: 'swimmer', xml: swimmerXml },
    frameSkip: 4,
    forwardRewardWeight: 1,
    ctrlCostWeight: 1e-4,
    resetNoiseScale: 0.1,
    qvelNoise: 'uniform',
    excludedQpos: 2,
    obsQvelClip: null,
    contactBodies: 'none',
    contactForces: 'computed',
    contactCostWeight: 0,
    progress: 'qpos',
    reportY: true,
    isHealthy: null,
    healthyReward: 0,
    healthyRewardWhenUnhealthy: false,
    terminateWhenUnhealthy: false,
  };
}
