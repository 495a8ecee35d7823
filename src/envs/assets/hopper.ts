/**
 * Hopper: a one-legged planar hopper (torso, thigh, leg, foot). Written for sr2l; its
 * compiled physics equals Gymnasium's local-coordinate `hopper.xml` (gym's v2 file used
 * global coordinates, which MuJoCo ≥ 2.3.3 rejects; the bodies are the same).
 */
import { planarLeg, planarTorso, ROOT_JOINT_CLASS } from './planar-leg.js';

export const hopperXml = `
<mujoco model="hopper">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.002" integrator="RK4"/>
  <default>
    <joint limited="true" armature="1" damping="1"/>
    <geom contype="1" conaffinity="1" condim="1" margin="0.001" solref="0.02 1" solimp="0.8 0.8 0.01"/>
    <motor ctrllimited="true" ctrlrange="-1 1" gear="200"/>
    ${ROOT_JOINT_CLASS}
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="20 20 0.125" condim="3"/>
    ${planarTorso(planarLeg({ suffix: '', footOffset: 0.13, footHalfLength: 0.195, footFriction: 2.0 }))}
  </worldbody>
  <actuator>
    <motor name="thigh" joint="thigh_joint"/>
    <motor name="leg" joint="leg_joint"/>
    <motor name="foot" joint="foot_joint"/>
  </actuator>
</mujoco>
`;
