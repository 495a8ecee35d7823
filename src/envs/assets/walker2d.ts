/**
 * Walker2d: a planar biped, right leg then left leg. Written for sr2l; its compiled
 * physics equals Gymnasium's `walker2d.xml` (right foot friction 0.9, as in gym v2–v4)
 * or `walker2d_v5.xml` (1.9), chosen by `rightFootFriction`.
 */
import { planarLeg, planarTorso, ROOT_JOINT_CLASS } from './planar-leg.js';

export function walker2dXml(rightFootFriction: number): string {
  const leg = (suffix: string, footFriction: number) =>
    planarLeg({ suffix, footOffset: 0.2, footHalfLength: 0.1, footFriction });
  return `
<mujoco model="walker2d">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.002" integrator="RK4"/>
  <default>
    <joint limited="true" armature="0.01" damping="0.1"/>
    <geom contype="1" conaffinity="0" condim="3" density="1000" friction="0.7 0.1 0.1"/>
    <motor ctrllimited="true" ctrlrange="-1 1" gear="100"/>
    ${ROOT_JOINT_CLASS}
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="40 40 40" conaffinity="1"/>
    ${planarTorso(leg('', rightFootFriction) + leg('_left', 1.9))}
  </worldbody>
  <actuator>
    <motor name="thigh" joint="thigh_joint"/>
    <motor name="leg" joint="leg_joint"/>
    <motor name="foot" joint="foot_joint"/>
    <motor name="thigh_left" joint="thigh_left_joint"/>
    <motor name="leg_left" joint="leg_left_joint"/>
    <motor name="foot_left" joint="foot_left_joint"/>
  </actuator>
</mujoco>
`;
}
