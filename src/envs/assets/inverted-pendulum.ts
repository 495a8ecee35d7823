/**
 * InvertedPendulum: a cart on a 2 m rail (slide joint, ±1 m) carrying a 0.6 m pole on a
 * hinge. Written for sr2l from Gymnasium's published `inverted_pendulum.xml`
 * (Farama-Foundation/Gymnasium, gymnasium/envs/mujoco/assets): RK4, timestep 0.02,
 * joint damping 1, motor gear 100 with ctrl range ±3, no contacts.
 */
export const invertedPendulumXml = `
<mujoco model="inverted pendulum">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.02" integrator="RK4" gravity="0 0 -9.81"/>
  <default>
    <joint limited="true" armature="0" damping="1"/>
    <geom contype="0" friction="1 0.1 0.1"/>
  </default>
  <worldbody>
    <geom name="rail" type="capsule" pos="0 0 0" quat="0.707 0 0.707 0" size="0.02 1"/>
    <body name="cart">
      <joint name="slider" type="slide" axis="1 0 0" range="-1 1"/>
      <geom name="cart" type="capsule" quat="0.707 0 0.707 0" size="0.1 0.1"/>
      <body name="pole">
        <joint name="hinge" type="hinge" axis="0 1 0" range="-90 90"/>
        <geom name="cpole" type="capsule" fromto="0 0 0 0.001 0 0.6" size="0.049 0.3"/>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="slide" joint="slider" gear="100" ctrllimited="true" ctrlrange="-3 3"/>
  </actuator>
</mujoco>
`;
