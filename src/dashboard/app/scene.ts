/**
 * A MuJoCo model drawn with three.js from the geoms a replay recorded: one mesh per geom
 * (plane, sphere, capsule, ellipsoid, cylinder, box; mjtGeom numbering), posed each frame
 * from MuJoCo's geom_xpos and geom_xmat. MuJoCo's z axis is up; the camera follows the
 * model's centre.
 */
import * as THREE from 'three';
import type { GeomInfo } from '../api-types.js';

/** mjtGeom: mjGEOM_PLANE 0, HFIELD 1, SPHERE 2, CAPSULE 3, ELLIPSOID 4, CYLINDER 5, BOX 6, MESH 7 */
const PLANE = 0;

function geometry(g: GeomInfo): THREE.BufferGeometry | null {
  const [a, b, c] = g.size as [number, number, number];
  switch (g.type) {
    case PLANE:
      return new THREE.PlaneGeometry(2 * (a || 10), 2 * (b || 10));
    case 2:
      return new THREE.SphereGeometry(a, 20, 14);
    case 3:
      // three's capsule and cylinder run along y, MuJoCo's along z
      return new THREE.CapsuleGeometry(a, 2 * b, 6, 16).rotateX(Math.PI / 2);
    case 4:
      return new THREE.SphereGeometry(1, 20, 14).scale(a, b, c);
    case 5:
      return new THREE.CylinderGeometry(a, a, 2 * b, 20).rotateX(Math.PI / 2);
    case 6:
      return new THREE.BoxGeometry(2 * a, 2 * b, 2 * c);
    default:
      return null; // height fields and meshes are not drawn
  }
}

export interface ModelView {
  canvas: HTMLCanvasElement;
  /** poses the model at one frame (12 numbers per geom) and renders */
  show(frame: readonly number[]): void;
}

export function modelView(geoms: readonly GeomInfo[], width: number, height: number): ModelView {
  const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
  renderer.setSize(width, height);
  renderer.setPixelRatio(1);
  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0xeef2f6);
  scene.add(new THREE.HemisphereLight(0xffffff, 0x667788, 2.2));
  const sun = new THREE.DirectionalLight(0xffffff, 1.5);
  sun.position.set(2, -3, 5);
  scene.add(sun);
  const camera = new THREE.PerspectiveCamera(45, width / height, 0.01, 100);
  camera.up.set(0, 0, 1);
  const meshes = geoms.map((g) => {
    const geo = geometry(g);
    if (!geo) return null;
    const [r, gr, b, a] = g.rgba as [number, number, number, number];
    const mat =
      g.type === PLANE
        ? new THREE.MeshStandardMaterial({ color: 0xc8ccd2, roughness: 1 })
        : new THREE.MeshStandardMaterial({
            color: new THREE.Color(r, gr, b),
            transparent: a < 1,
            opacity: a,
          });
    const mesh = new THREE.Mesh(geo, mat);
    mesh.matrixAutoUpdate = false;
    scene.add(mesh);
    return mesh;
  });
  const m = new THREE.Matrix4();
  const centre = new THREE.Vector3();
  return {
    canvas: renderer.domElement,
    show(frame) {
      centre.set(0, 0, 0);
      let k = 0;
      meshes.forEach((mesh, i) => {
        if (!mesh) return;
        const f = (j: number) => frame[i * 12 + j]!;
        const [x, y, z] = [f(0), f(1), f(2)];
        // geom_xmat is row-major 3×3; Matrix4.set takes rows too
        m.set(f(3), f(4), f(5), x, f(6), f(7), f(8), y, f(9), f(10), f(11), z, 0, 0, 0, 1);
        mesh.matrix.copy(m);
        mesh.matrixWorldNeedsUpdate = true;
        if (geoms[i]!.type !== PLANE) {
          centre.add(new THREE.Vector3(x, y, z));
          k++;
        }
      });
      if (k) centre.divideScalar(k);
      camera.position.set(centre.x + 0.5, centre.y - 3.2, centre.z + 1.0);
      camera.lookAt(centre);
      renderer.render(scene, camera);
    },
  };
}
