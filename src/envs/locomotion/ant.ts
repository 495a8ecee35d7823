/**
 * Ant-v2 / -v5 (Gymnasium `ant_v5.py`, gym `ant.py`). Forward progress is the torso
 * body's xpos (read after the physics steps, as both do). Healthy: state finite and
 * 0.2 ≤ torso z ≤ 1 (inclusive). Contact forces cfrc_ext clipped to ±1: v2 observes all
 * 14 bodies (111 entries) and pays the alive bonus when falling too; v5 drops the world
 * body (105 entries) and pays it only while healthy. Contact cost 5e-4 × Σ clipped² in both.
 */
import { antXml } from '../assets/ant.js';
import type { HealthCheck, LocomotionSpec } from './locomotion-spec.js';

export const antIsHealthy: HealthCheck = (qpos, qvel) => {
  for (let i = 0; i < qpos.length; i++) if (!Number.isFinite(qpos[i]!)) return false;
  for (let i = 0; i < qvel.length; i++) if (!Number.isFinite(qvel[i]!)) return false;
  return qpos[2]! >= 0.2 && qpos[2]! <= 1;
};

export function antSpec(version: 'v2' | 'v5'): LocomotionSpec {
  return {
    id: `Ant-${version}`,
    model: { name: 'ant', xml: antXml },
    frameSkip: 5,
    forwardRewardWeight: 1,
    ctrlCostWeight: 0.5,
    resetNoiseScale: 0.1,
    qvelNoise: 'normal',
    excludedQpos: 2,
    obsQvelClip: null,
    contactBodies: version === 'v2' ? 'all' : 'skip-world',
    contactForces: 'computed',
    contactCostWeight: 5e-4,
    progress: 'torso-xpos',
    reportY: true,
    isHealthy: antIsHealthy,
    healthyReward: 1,
    healthyRewardWhenUnhealthy: version === 'v2',
    terminateWhenUnhealthy: true,
  };
}
