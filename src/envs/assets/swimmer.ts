/**
 * Swimmer: three capsule links in a viscous fluid, two actuated hinges.
 * Written for sr2l; its compiled physics equals Gymnasium's `swimmer.xml` (the v2 model
 * relied on `collision="predefined"` with no pairs, i.e. no contacts at all, which is
 * what contype = conaffinity = 0 gives here). Visual-only elements are left out.
 */
export const swimmerXml = `
<mujoco model="swimmer">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4" density="4000" viscosity="0.1"/>
  <default>
    <joint armature="0.1"/>
    <geom type="capsule" size="0.1" density="1000" condim="1" contype="0" conaffinity="0"/>
    <motor ctrllimited="true" ctrlrange="-1 1" gear="150"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" pos="0 0 -0.1" size="40 40 0.1" condim="3"/>
    <!-- the head link lies on x ∈ [0.5, 1.5]; each further link is 1 m long, pointing back -->
    <body name="torso">
      <geom name="head" fromto="1.5 0 0 0.5 0 0"/>
      <joint name="slider1" type="slide" axis="1 0 0"/>
      <joint name="slider2" type="slide" axis="0 1 0"/>
      <joint name="free_body_rot" type="hinge" axis="0 0 1"/>
      <body name="mid" pos="0.5 0 0">
        <geom name="mid" fromto="0 0 0 -1 0 0"/>
        <joint name="motor1_rot" type="hinge" axis="0 0 1" limited="true" range="-100 100"/>
        <body name="back" pos="-1 0 0">
          <geom name="back" fromto="0 0 0 -1 0 0"/>
          <joint name="motor2_rot" type="hinge" axis="0 0 1" limited="true" range="-100 100"/>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="rot1" joint="motor1_rot"/>
    <motor name="rot2" joint="motor2_rot"/>
  </actuator>
</mujoco>
`;
