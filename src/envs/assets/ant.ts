/**
 * Ant: a spherical torso on a free joint with four 3-capsule legs. Written for sr2l; its
 * compiled physics equals Gymnasium's `ant.xml` (same bodies as gym v2). Each leg points
 * along a diagonal (dx, dy); its hip turns about z, its ankle about the horizontal axis
 * across the leg.
 */

/** name, diagonal direction, ankle axis, ankle range (degrees) */
type Leg = [string, number, number, string, string];

// Body order = gym's: front-left (1), front-right (2), back (3), right-back (4).
const LEGS: Leg[] = [
  ['1', 1, 1, '-1 1 0', '30 70'],
  ['2', -1, 1, '1 1 0', '-70 -30'],
  ['3', -1, -1, '-1 1 0', '-70 -30'],
  ['4', 1, -1, '1 1 0', '30 70'],
];

function leg([n, dx, dy, ankleAxis, ankleRange]: Leg): string {
  const seg = (k: number) => `fromto="0 0 0 ${0.2 * k * dx} ${0.2 * k * dy} 0"`;
  const end = `pos="${0.2 * dx} ${0.2 * dy} 0"`;
  return `<body name="leg_${n}">
    <geom name="aux_${n}_geom" ${seg(1)}/>
    <body name="aux_${n}" ${end}>
      <joint name="hip_${n}" type="hinge" axis="0 0 1" range="-30 30"/>
      <geom name="thigh_${n}_geom" ${seg(1)}/>
      <body name="ankle_${n}_body" ${end}>
        <joint name="ankle_${n}" type="hinge" axis="${ankleAxis}" range="${ankleRange}"/>
        <geom name="ankle_${n}_geom" ${seg(2)}/>
      </body>
    </body>
  </body>`;
}

export const antXml = `
<mujoco model="ant">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4"/>
  <default>
    <joint limited="true" armature="1" damping="1"/>
    <geom type="capsule" size="0.08" density="5" friction="1 0.5 0.5" margin="0.01" condim="3" conaffinity="0"/>
    <motor ctrllimited="true" ctrlrange="-1 1" gear="150"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="40 40 40" conaffinity="1"/>
    <body name="torso" pos="0 0 0.75">
      <geom name="torso_geom" type="sphere" size="0.25"/>
      <joint name="root" type="free" limited="false" armature="0" damping="0" margin="0.01"/>
      ${LEGS.map(leg).join('\n      ')}
    </body>
  </worldbody>
  <actuator>
    ${['4', '1', '2', '3'].map((n) => `<motor joint="hip_${n}"/><motor joint="ankle_${n}"/>`).join('\n    ')}
  </actuator>
</mujoco>
`;
