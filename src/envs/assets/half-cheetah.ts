/**
 * HalfCheetah: a planar 6-joint runner, total mass scaled to 14 kg.
 * Written for sr2l; its compiled physics equals Gymnasium's `half_cheetah.xml` (same in
 * gym v2). Each limb segment is a capsule given by centre, tilt about y and half-length;
 * joint stiffness/damping per joint. Visual-only elements are left out.
 */

/** name, body offset from parent, joint range, stiffness, damping, capsule centre, tilt, half-length */
type Segment = [string, string, string, number, number, string, number, number];

const BACK: Segment[] = [
  ['bthigh', '-.5 0 0', '-.52 1.05', 240, 6, '.1 0 -.13', -3.8, 0.145],
  ['bshin', '.16 0 -.25', '-.785 .785', 180, 4.5, '-.14 0 -.07', -2.03, 0.15],
  ['bfoot', '-.28 0 -.14', '-.4 .785', 120, 3, '.03 0 -.097', -0.27, 0.094],
];
const FRONT: Segment[] = [
  ['fthigh', '.5 0 0', '-1 .7', 180, 4.5, '-.07 0 -.12', 0.52, 0.133],
  ['fshin', '-.14 0 -.24', '-1.2 .87', 120, 3, '.065 0 -.09', -0.6, 0.106],
  ['ffoot', '.13 0 -.18', '-.5 .5', 60, 1.5, '.045 0 -.07', -0.6, 0.07],
];

/** A chain of segments, each the child of the previous. */
function limb(segments: Segment[]): string {
  const [head, ...rest] = segments;
  if (!head) return '';
  const [name, pos, range, k, c, gpos, tilt, half] = head;
  return `<body name="${name}" pos="${pos}">
    <joint name="${name}" type="hinge" axis="0 1 0" range="${range}" stiffness="${k}" damping="${c}"/>
    <geom name="${name}" type="capsule" pos="${gpos}" axisangle="0 1 0 ${tilt}" size="0.046 ${half}"/>
    ${limb(rest)}
  </body>`;
}

export const halfCheetahXml = `
<mujoco model="cheetah">
  <compiler angle="radian" inertiafromgeom="true" settotalmass="14"/>
  <option timestep="0.01" gravity="0 0 -9.81"/>
  <default>
    <joint limited="true" armature="0.1" damping="0.01" stiffness="8" solreflimit="0.02 1" solimplimit="0 0.8 0.03"/>
    <geom contype="1" conaffinity="0" condim="3" friction="0.4 0.1 0.1" solref="0.02 1" solimp="0 0.8 0.01"/>
    <motor ctrllimited="true" ctrlrange="-1 1"/>
    <default class="root">
      <joint limited="false" armature="0" damping="0" stiffness="0"/>
    </default>
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="40 40 40" conaffinity="1"/>
    <body name="torso" pos="0 0 0.7">
      <joint name="rootx" class="root" type="slide" axis="1 0 0"/>
      <joint name="rootz" class="root" type="slide" axis="0 0 1"/>
      <joint name="rooty" class="root" type="hinge" axis="0 1 0"/>
      <geom name="torso" type="capsule" fromto="-0.5 0 0 0.5 0 0" size="0.046"/>
      <geom name="head" type="capsule" pos="0.6 0 0.1" axisangle="0 1 0 0.87" size="0.046 0.15"/>
      ${limb(BACK)}
      ${limb(FRONT)}
    </body>
  </worldbody>
  <actuator>
    <motor name="bthigh" joint="bthigh" gear="120"/>
    <motor name="bshin" joint="bshin" gear="90"/>
    <motor name="bfoot" joint="bfoot" gear="60"/>
    <motor name="fthigh" joint="fthigh" gear="120"/>
    <motor name="fshin" joint="fshin" gear="60"/>
    <motor name="ffoot" joint="ffoot" gear="30"/>
  </actuator>
</mujoco>
`;
