/**
 * Sample cases for the backend parity harness, one generator per kernel family (a Backend
 * method). A case uploads host data to a backend, runs one call and returns the storages to
 * compare, so the same case runs on the CPU reference and on the backend under test.
 * A new kernel for an existing family needs nothing here: the harness (parity.test.ts)
 * enumerates the kernel registry and runs its family's cases with that kernel forced.
 * Sizes include tile-unfriendly ones (1, 3, 17, 63, 65, 1000) and broadcasting shapes.
 */
import {
  ACTIVATIONS,
  BINARY_OPS,
  COMPARE_OPS,
  UNARY_OPS,
  type Backend,
  type FusedSpec,
  type Storage,
  type UnaryOp,
} from '../../src/kernels/backend.js';
import type { KernelFamily } from '../../src/kernels/webgpu/registry.js';
import { broadcastShapes, reducedShape, sizeOf, stridesOf, type Shape } from '../../src/kernels/shape.js';
import { Rng } from '../../src/util/rng.js';

export interface Tolerance {
  /** |got − want| ≤ atol + rtol·|want| elementwise */
  rtol: number;
  atol: number;
}

export interface ParityCase {
  label: string;
  tol: Tolerance;
  /** Runs the call on `b`; returns the storages whose contents must match the reference. */
  run(b: Backend): Storage[];
}

/** One case list per kernel family of the WebGPU registry (a new family fails to compile until it has cases). */
export type CaseFamily = KernelFamily;

const EXACT: Tolerance = { rtol: 0, atol: 0 };
/** one f32 rounding of an elementwise op */
const ROUND: Tolerance = { rtol: 2e-7, atol: 1e-30 };
/** transcendental functions: GPU exp/log/tanh are a few ulp */
const TRANSCENDENTAL: Tolerance = { rtol: 2e-6, atol: 1e-7 };

const rng = new Rng(1234);

function f32(n: number, lo = -1, hi = 1): Float32Array {
  return rng.fillUniform(new Float32Array(n), lo, hi);
}
function ints(n: number, lo: number, hi: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + rng.int(hi - lo);
  return a;
}
/** Values on a small integer grid, so comparisons hit ties. */
function grid(n: number): Float32Array {
  return Float32Array.from(ints(n, -3, 4));
}

const SIZES = [1, 3, 17, 63, 65, 1000];

/** Input range where each unary op is defined and well conditioned. */
function unaryInput(op: UnaryOp, n: number): Float32Array {
  switch (op) {
    case 'log':
    case 'sqrt':
      return f32(n, 0.05, 4);
    case 'reciprocal':
      return f32(n, 0.25, 3).map((x, i) => (i % 2 ? -x : x));
    case 'exp':
    case 'sigmoid':
    case 'softplus':
    case 'tanh':
      return f32(n, -12, 12);
    default:
      return f32(n, -3, 3);
  }
}

const UNARY_TOL: Partial<Record<UnaryOp, Tolerance>> = {
  exp: TRANSCENDENTAL,
  log: TRANSCENDENTAL,
  tanh: TRANSCENDENTAL,
  sigmoid: TRANSCENDENTAL,
  softplus: TRANSCENDENTAL,
  sqrt: ROUND,
  reciprocal: ROUND,
};

/** Shape pairs for broadcasting: equal, scalar either side, row/column, rank-changing. */
const BROADCAST_PAIRS: [Shape, Shape][] = [
  [[1000], [1000]],
  [[63, 65], []],
  [[], [17]],
  [
    [3, 1, 65],
    [17, 1],
  ],
  [
    [1, 63],
    [65, 1],
  ],
  [[17, 3], [3]],
];

function matmulShapes(m: number, k: number, n: number, tA: boolean, tB: boolean): [Shape, Shape] {
  return [tA ? [k, m] : [m, k], tB ? [n, k] : [k, n]];
}

const MATMUL_MKN: [number, number, number][] = [
  [1, 1, 1],
  [3, 17, 65],
  [63, 65, 17],
  [65, 63, 64],
  [1000, 64, 64],
  [17, 1000, 3],
  [3, 0, 5],
];

/** Matmul sums k products: allow error growing with k. */
const matTol = (k: number): Tolerance => ({ rtol: 1e-5, atol: 3e-7 * k });

function upload(b: Backend, a: Float32Array | Int32Array): Storage {
  return b.upload(a);
}

export const CASES: Record<CaseFamily, () => ParityCase[]> = {
  fill: () => [
    ...[1, 17, 1000, 20000].map((n) => ({
      label: `float32 [${n}] = 2.5`,
      tol: EXACT,
      run: (b: Backend) => [b.fill('float32', n, 2.5)],
    })),
    { label: 'int32 [65] = -3', tol: EXACT, run: (b) => [b.fill('int32', 65, -3)] },
  ],

  unary: () => {
    const cases: ParityCase[] = [];
    for (const op of UNARY_OPS) {
      for (const n of [1, 17, 1000]) {
        const x = unaryInput(op, n);
        cases.push({
          label: `${op} [${n}]`,
          tol: UNARY_TOL[op] ?? EXACT,
          run: (b) => [b.unary(op, upload(b, x))],
        });
      }
    }
    for (const op of ['neg', 'abs', 'sign', 'square'] as const) {
      const x = ints(65, -50, 50);
      cases.push({ label: `${op} int32 [65]`, tol: EXACT, run: (b) => [b.unary(op, upload(b, x))] });
    }
    return cases;
  },

  binary: () => {
    const cases: ParityCase[] = [];
    for (const [as, bs] of BROADCAST_PAIRS) {
      const out = broadcastShapes(as, bs)!;
      const a = f32(sizeOf(as), -2, 2);
      const bb = f32(sizeOf(bs), -2, 2).map((v) => (Math.abs(v) < 0.25 ? 0.5 : v));
      const aPos = a.map(Math.abs);
      const ga = grid(sizeOf(as));
      const gb = grid(sizeOf(bs));
      for (const op of BINARY_OPS) {
        const lhs = op === 'pow' ? aPos : a;
        cases.push({
          label: `${op} [${as}]·[${bs}]`,
          tol: op === 'pow' ? TRANSCENDENTAL : op === 'div' ? ROUND : EXACT,
          run: (b) => [b.binary(op, upload(b, lhs), as, upload(b, bb), bs, out)],
        });
      }
      for (const op of COMPARE_OPS) {
        cases.push({
          label: `${op} [${as}]·[${bs}]`,
          tol: EXACT,
          run: (b) => [b.compare(op, upload(b, ga), as, upload(b, gb), bs, out)],
        });
      }
    }
    // pow with negative bases and integer exponents, and x^0
    const base = grid(63);
    const expo = Float32Array.from(ints(63, 0, 4));
    cases.push({
      label: 'pow negative base, integer exponents',
      tol: ROUND,
      run: (b) => [b.binary('pow', upload(b, base), [63], upload(b, expo), [63], [63])],
    });
    const ia = ints(65, -20, 20);
    const ib = ints(65, 1, 9);
    for (const op of ['add', 'sub', 'mul', 'maximum', 'minimum'] as const) {
      cases.push({
        label: `${op} int32 [65]`,
        tol: EXACT,
        run: (b) => [b.binary(op, upload(b, ia), [65], upload(b, ib), [65], [65])],
      });
    }
    cases.push({
      label: 'lt int32 [65]·[]',
      tol: EXACT,
      run: (b) => [b.compare('lt', upload(b, ia), [65], upload(b, Int32Array.of(3)), [], [65])],
    });
    return cases;
  },

  where: () => {
    const out = [3, 17, 65];
    const c = grid(3 * 65).map((v) => (v > 0 ? 1 : 0));
    const a = f32(17 * 65);
    const bb = f32(1);
    const ci = Int32Array.from(c);
    return [
      {
        label: 'float cond [3,1,65], a [17,65], b []',
        tol: EXACT,
        run: (b) => [b.where(upload(b, c), [3, 1, 65], upload(b, a), [17, 65], upload(b, bb), [], out)],
      },
      {
        label: 'int32 cond [3,1,65], a [], b [17,65]',
        tol: EXACT,
        run: (b) => [b.where(upload(b, ci), [3, 1, 65], upload(b, bb), [], upload(b, a), [17, 65], out)],
      },
    ];
  },

  cast: () => {
    const x = f32(1000, -5, 5);
    const i = ints(63, -100, 100);
    return [
      { label: 'float32 → int32 [1000]', tol: EXACT, run: (b) => [b.cast(upload(b, x), 'int32')] },
      { label: 'int32 → float32 [63]', tol: EXACT, run: (b) => [b.cast(upload(b, i), 'float32')] },
      {
        label: 'float32 → float32 [17]',
        tol: EXACT,
        run: (b) => [b.cast(upload(b, x.subarray(0, 17)), 'float32')],
      },
    ];
  },

  reduce: () => {
    const shapes: [Shape, number[]][] = [
      [[1000], [0]],
      [[5000], [0]],
      [[63, 65], [0]],
      [[63, 65], [1]],
      [
        [63, 65],
        [0, 1],
      ],
      [[3, 17, 65], [1]],
      [
        [3, 17, 65],
        [0, 2],
      ],
      [[1, 3], [0]],
      [[1000, 6], [0]],
    ];
    const cases: ParityCase[] = [];
    for (const [shape, axes] of shapes) {
      const x = f32(sizeOf(shape));
      const reduced = sizeOf(shape) / sizeOf(reducedShape(shape, axes));
      for (const op of ['sum', 'max'] as const) {
        cases.push({
          label: `${op} [${shape}] axes [${axes}]`,
          tol: op === 'sum' ? { rtol: 1e-5, atol: 1e-7 * reduced } : EXACT,
          run: (b) => [b.reduce(op, upload(b, x), shape, axes)],
        });
      }
    }
    const xi = ints(63 * 5, -9, 9);
    cases.push({
      label: 'sum int32 [63,5] axes [0]',
      tol: EXACT,
      run: (b) => [b.reduce('sum', upload(b, xi), [63, 5], [0])],
    });
    return cases;
  },

  matmul: () => {
    const cases: ParityCase[] = [];
    for (const [m, k, n] of MATMUL_MKN) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          const [as, bs] = matmulShapes(m, k, n, tA, tB);
          const a = f32(m * k);
          const bb = f32(k * n);
          cases.push({
            label: `${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} ${m}×${k}·${k}×${n}`,
            tol: matTol(k),
            run: (b) => [b.matmul(upload(b, a), as, upload(b, bb), bs, tA, tB, [m, n])],
          });
        }
      }
    }
    // broadcast batch dimensions: [2,3,17,5]·[3,5,63] and [4,1,...]·[1,3,...]
    for (const [as, bs, out] of [
      [
        [2, 3, 17, 5],
        [3, 5, 63],
        [2, 3, 17, 63],
      ],
      [
        [4, 1, 65, 3],
        [1, 3, 3, 17],
        [4, 3, 65, 17],
      ],
    ] as [number[], number[], number[]][]) {
      const a = f32(sizeOf(as));
      const bb = f32(sizeOf(bs));
      cases.push({
        label: `batched [${as}]·[${bs}]`,
        tol: matTol(as[as.length - 1]!),
        run: (b) => [b.matmul(upload(b, a), as, upload(b, bb), bs, false, false, out)],
      });
    }
    return cases;
  },

  linear: () => {
    const cases: ParityCase[] = [];
    const shapes: [number, number, number][] = [
      [1, 17, 3],
      [65, 17, 64],
      [1000, 64, 6],
      [63, 65, 65],
    ];
    shapes.forEach(([m, k, n], s) => {
      const x = f32(m * k);
      const w = f32(k * n, -0.5, 0.5);
      const bias = f32(n);
      ACTIVATIONS.forEach((act, i) => {
        const withBias = (s + i) % 2 === 0;
        cases.push({
          label: `${act} ${m}×${k}·${k}×${n}${withBias ? ' + b' : ''}`,
          tol: { rtol: 1e-5, atol: 1e-6 * k },
          run: (b) => [b.linear(upload(b, x), upload(b, w), withBias ? upload(b, bias) : null, m, k, n, act)],
        });
      });
    });
    return cases;
  },

  // a population of S layers in one call; S = 1 and sizes off the tiles included
  stackedLinear: () => {
    const cases: ParityCase[] = [];
    const shapes: [number, number, number, number][] = [
      [1, 1, 17, 3],
      [3, 64, 17, 64],
      [5, 1, 64, 6],
      [2, 65, 63, 1],
    ];
    shapes.forEach(([s, m, k, n], i) => {
      const x = f32(s * m * k);
      const w = f32(s * k * n, -0.5, 0.5);
      const bias = f32(s * n);
      ACTIVATIONS.forEach((act, j) => {
        const withBias = (i + j) % 2 === 0;
        cases.push({
          label: `${act} ${s}×(${m}×${k}·${k}×${n})${withBias ? ' + b' : ''}`,
          tol: { rtol: 1e-5, atol: 1e-6 * k },
          run: (b) => [
            b.stackedLinear(upload(b, x), upload(b, w), withBias ? upload(b, bias) : null, s, m, k, n, act),
          ],
        });
      });
    });
    return cases;
  },

  activationGrad: () =>
    ACTIVATIONS.flatMap((act) =>
      [17, 1000].map((n) => {
        const y = act === 'tanh' ? f32(n, -1, 1) : act === 'sigmoid' ? f32(n, 0, 1) : f32(n, -1, 2);
        const g = f32(n);
        // f32 evaluates 1 − y² after rounding y², so the error is absolute (≈ 1 ulp of 1)
        return {
          label: `${act} [${n}]`,
          tol: { rtol: 1e-6, atol: 2e-7 },
          run: (b: Backend) => [b.activationGrad(act, upload(b, y), upload(b, g))],
        };
      }),
    ),

  strided: () =>
    stridedViews().map((v) => ({
      label: v.label,
      tol: EXACT,
      run: (b: Backend) => [b.strided(upload(b, v.x), v.outShape, v.strides, v.offset)],
    })),

  scatterStrided: () =>
    stridedViews()
      .filter((v) => !v.strides.includes(0))
      .map((v) => {
        const x = f32(sizeOf(v.outShape));
        return {
          label: `adjoint of ${v.label}`,
          tol: EXACT,
          run: (b: Backend) => [b.scatterStrided(upload(b, x), v.outShape, v.inShape, v.strides, v.offset)],
        };
      }),

  concat: () =>
    (
      [
        [
          [
            [3, 17],
            [3, 1],
            [3, 65],
          ],
          1,
        ],
        [
          [
            [1, 5],
            [63, 5],
          ],
          0,
        ],
        [
          [
            [2, 3, 4],
            [2, 17, 4],
          ],
          1,
        ],
      ] as [number[][], number][]
    ).map(([shapes, axis]) => {
      const xs = shapes.map((s) => f32(sizeOf(s)));
      const out = shapes[0]!.slice();
      out[axis] = shapes.reduce((t, s) => t + s[axis]!, 0);
      return {
        label: `${shapes.map((s) => `[${s}]`).join(' ')} axis ${axis}`,
        tol: EXACT,
        run: (b: Backend) => [
          b.concat(
            xs.map((x) => upload(b, x)),
            shapes,
            axis,
            out,
          ),
        ],
      };
    }),

  gather: () =>
    gatherCases().map((c) => ({
      label: c.label,
      tol: EXACT,
      run: (b: Backend) => [b.gather(upload(b, c.big), c.bigShape, upload(b, c.idx), c.axis, c.smallShape)],
    })),

  scatterAdd: () =>
    gatherCases().map((c) => {
      const g = f32(sizeOf(c.smallShape));
      return {
        label: c.label,
        tol: { rtol: 1e-6, atol: 1e-6 },
        run: (b: Backend) => [b.scatterAdd(upload(b, g), c.smallShape, upload(b, c.idx), c.axis, c.bigShape)],
      };
    }),

  adamUpdate: () =>
    (
      [
        [1, 1, 0],
        [1000, 10, 0.01],
        [65, 3, 0],
      ] as [number, number, number][]
    ).map(([n, step, weightDecay]) => {
      const p = f32(n);
      const g = f32(n);
      const m = f32(n, -0.1, 0.1);
      const v = f32(n, 0, 0.01);
      return {
        label: `[${n}] step ${step} wd ${weightDecay}`,
        tol: { rtol: 1e-5, atol: 1e-7 },
        run: (b: Backend) => {
          const s = [p, g, m, v].map((a) => upload(b, a));
          b.adamUpdate(s[0]!, s[1]!, s[2]!, s[3]!, {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weightDecay,
            step,
          });
          return [s[0]!, s[2]!, s[3]!];
        },
      };
    }),

  axpy: () => [
    ...SIZES.map((n) => {
      const p = f32(n);
      const x = f32(n);
      return {
        label: `[${n}] += -0.5·x`,
        tol: ROUND,
        run: (b: Backend) => {
          const ps = upload(b, p);
          b.axpy(ps, upload(b, x), -0.5);
          return [ps];
        },
      };
    }),
    ((): ParityCase => {
      const p = f32(17);
      return {
        label: 'aliased p += 2·p',
        tol: ROUND,
        run: (b: Backend) => {
          const ps = upload(b, p);
          b.axpy(ps, ps, 2);
          return [ps];
        },
      };
    })(),
  ],

  // compiled steps' fused elementwise kernels (autograd/compile/fuse.ts builds the specs)
  fusedElementwise: () => [
    ...SIZES.map((n) => {
      const d = f32(n, -0.1, 0.1);
      const g = f32(n);
      const spec: FusedSpec = {
        n,
        dtype: 'float32',
        scalar: [false, false, n !== 1, n !== 1, n !== 1],
        // clamp(δ + 0.02·sign(g), −0.1, 0.1): a PGD ascent step
        ops: [
          { op: 'sign', args: [{ input: 1 }] },
          { op: 'mul', args: [{ value: 0 }, { input: 2 }] },
          { op: 'add', args: [{ input: 0 }, { value: 1 }] },
          { op: 'maximum', args: [{ value: 2 }, { input: 3 }] },
          { op: 'minimum', args: [{ value: 3 }, { input: 4 }] },
        ],
        stores: [{ value: 4, out: 0 }],
      };
      return {
        label: `[${n}] PGD step`,
        tol: ROUND,
        run: (b: Backend) => {
          const ins = [d, g, [0.02], [-0.1], [0.1]].map((a) => upload(b, Float32Array.from(a)));
          const out = b.fill('float32', n, 0);
          b.fusedElementwise!(spec, ins, [out]);
          return [out];
        },
      };
    }),
    ((): ParityCase => {
      const x = f32(65, -3, 3);
      const y = f32(65, -3, 3);
      // an intermediate stored as well, a comparison, a transcendental
      const spec: FusedSpec = {
        n: 65,
        dtype: 'float32',
        scalar: [false, false],
        ops: [
          { op: 'tanh', args: [{ input: 0 }] },
          { op: 'gt', args: [{ input: 0 }, { input: 1 }] },
          { op: 'mul', args: [{ value: 0 }, { value: 1 }] },
          { op: 'sub', args: [{ value: 2 }, { input: 1 }] },
        ],
        stores: [
          { value: 0, out: 0 },
          { value: 3, out: 1 },
        ],
      };
      return {
        label: '[65] tanh, gt, mul, sub; two outputs',
        tol: TRANSCENDENTAL,
        run: (b: Backend) => {
          const ins = [x, y].map((a) => upload(b, a));
          const outs = [b.fill('float32', 65, 0), b.fill('float32', 65, 0)];
          b.fusedElementwise!(spec, ins, outs);
          return outs;
        },
      };
    })(),
    ((): ParityCase => {
      const p = f32(17);
      const x = f32(17);
      // the output is also an input (the planner reuses buffers): p ← p + 0.5·x
      const spec: FusedSpec = {
        n: 17,
        dtype: 'float32',
        scalar: [false, false, true],
        ops: [
          { op: 'mul', args: [{ input: 1 }, { input: 2 }] },
          { op: 'add', args: [{ input: 0 }, { value: 0 }] },
        ],
        stores: [{ value: 1, out: 0 }],
      };
      return {
        label: 'aliased [17] p ← p + 0.5·x',
        tol: ROUND,
        run: (b: Backend) => {
          const ps = upload(b, p);
          b.fusedElementwise!(spec, [ps, upload(b, x), upload(b, Float32Array.from([0.5]))], [ps]);
          return [ps];
        },
      };
    })(),
  ],
};

interface View {
  label: string;
  x: Float32Array;
  inShape: Shape;
  outShape: Shape;
  strides: number[];
  offset: number;
}

let views: View[] | null = null;
/** Permute, broadcast, strided slice and flip views (fixed data so strided and its adjoint agree). */
function stridedViews(): View[] {
  if (views) return views;
  const s3 = [3, 17, 65];
  const st3 = stridesOf(s3);
  views = [
    {
      label: 'permute [3,17,65] → (2,0,1)',
      inShape: s3,
      outShape: [65, 3, 17],
      strides: [st3[2]!, st3[0]!, st3[1]!],
      offset: 0,
    },
    { label: 'broadcast [17] → [63,17]', inShape: [17], outShape: [63, 17], strides: [0, 1], offset: 0 },
    {
      label: 'slice [63,65] rows 1::2',
      inShape: [63, 65],
      outShape: [31, 65],
      strides: [130, 1],
      offset: 65,
    },
    { label: 'flip [1000]', inShape: [1000], outShape: [1000], strides: [-1], offset: 999 },
    { label: 'column 3 of [1000,6]', inShape: [1000, 6], outShape: [1000], strides: [6], offset: 3 },
  ].map((v) => ({ ...v, x: f32(sizeOf(v.inShape)) }));
  return views;
}

interface GatherCase {
  label: string;
  big: Float32Array;
  bigShape: Shape;
  idx: Int32Array;
  axis: number;
  smallShape: Shape;
}

let gathers: GatherCase[] | null = null;
function gatherCases(): GatherCase[] {
  if (gathers) return gathers;
  const mk = (label: string, bigShape: number[], axis: number, L: number): GatherCase => {
    const smallShape = bigShape.slice();
    smallShape[axis] = L;
    return {
      label,
      big: f32(sizeOf(bigShape)),
      bigShape,
      idx: ints(L, 0, bigShape[axis]!),
      axis,
      smallShape,
    };
  };
  gathers = [
    mk('[17,65] axis 0, 1000 indices', [17, 65], 0, 1000),
    mk('[17,65] axis 1, 3 indices', [17, 65], 1, 3),
    mk('[63] axis 0, 1 index', [63], 0, 1),
    mk('[3,17,5] axis 1, 63 indices', [3, 17, 5], 1, 63),
  ];
  return gathers;
}
