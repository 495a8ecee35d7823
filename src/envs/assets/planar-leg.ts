/**
 * The thigh–leg–foot chain shared by the Hopper and Walker2d models (gym's planar
 * walkers): joints bend about −y, hips and knees in [−150°, 0°], ankles in ±45°.
 * Lengths in metres; the model using it must set `angle="degree"`.
 */
export interface PlanarLegOptions {
  /** suffix of body/joint/geom names: '' (right or only leg) or '_left' */
  suffix: string;
  /** forward offset of the foot body from the shin's lower end, m */
  footOffset: number;
  /** half-length of the foot capsule, m */
  footHalfLength: number;
  /** sliding friction of the foot */
  footFriction: number;
}

export function planarLeg(o: PlanarLegOptions): string {
  const s = o.suffix;
  return `<body name="thigh${s}" pos="0 0 -0.2">
    <joint name="thigh${s}_joint" type="hinge" axis="0 -1 0" range="-150 0"/>
    <geom name="thigh${s}_geom" type="capsule" pos="0 0 -0.225" size="0.05 0.225" friction="0.9"/>
    <body name="leg${s}" pos="0 0 -0.7">
      <joint name="leg${s}_joint" type="hinge" axis="0 -1 0" pos="0 0 0.25" range="-150 0"/>
      <geom name="leg${s}_geom" type="capsule" size="0.04 0.25" friction="0.9"/>
      <body name="foot${s}" pos="${o.footOffset} 0 -0.35">
        <joint name="foot${s}_joint" type="hinge" axis="0 -1 0" pos="${-o.footOffset} 0 0.1" range="-45 45"/>
        <!-- the foot capsule lies along x: a capsule's z axis turned −90° about y -->
        <geom name="foot${s}_geom" type="capsule" pos="${-o.footOffset / 2} 0 0.1" axisangle="0 1 0 -90"
              size="0.06 ${o.footHalfLength}" friction="${o.footFriction}"/>
      </body>
    </body>
  </body>`;
}

/**
 * Torso and root joints of a planar walker: the torso capsule is centred at z = 1.25,
 * rootz has ref 1.25 so qpos[1] is the torso height.
 */
export function planarTorso(legs: string): string {
  return `<body name="torso" pos="0 0 1.25">
    <joint name="rootx" class="root" type="slide" axis="1 0 0" pos="0 0 -1.25"/>
    <joint name="rootz" class="root" type="slide" axis="0 0 1" pos="0 0 -1.25" ref="1.25"/>
    <joint name="rooty" class="root" type="hinge" axis="0 1 0"/>
    <geom name="torso_geom" type="capsule" size="0.05 0.2" friction="0.9"/>
    ${legs}
  </body>`;
}

/** The unactuated, unlimited, undamped root joints. */
export const ROOT_JOINT_CLASS = `<default class="root"><joint limited="false" armature="0" damping="0" stiffness="0"/></default>`;
