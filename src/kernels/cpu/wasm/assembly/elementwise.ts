/**
 * Float32 elementwise and reduction kernels with 128-bit SIMD (AssemblyScript, compiled
 * to kernels.wasm): the fused linear layer's bias + activation, the activation
 * gradient, same-shape binary arithmetic, and column sums (the bias gradient).
 * Activation codes: 0 none, 1 tanh, 2 relu, 3 sigmoid (ACTIVATION_CODES in the loader).
 */
import { gemm } from './gemm';

// tanh as a rational function x·P(x²)/Q(x²) on |x| ≤ 7.905 (where float32 tanh is ±1),
// the 13/6 approximation Eigen uses for float; within a few ulp of the true value.
const A1: f32 = 4.89352455891786e-3;
const A3: f32 = 6.37261928875436e-4;
const A5: f32 = 1.48572235717979e-5;
const A7: f32 = 5.12229709037114e-8;
const A9: f32 = -8.60467152213735e-11;
const A11: f32 = 2.00018790482477e-13;
const A13: f32 = -2.76076847742355e-16;
const B0: f32 = 4.89352518554385e-3;
const B2: f32 = 2.268434632439e-3;
const B4: f32 = 1.18534705686654e-4;
const B6: f32 = 1.19825839466702e-6;
const CLAMP: f32 = 7.90531110763549805;
const TINY: f32 = 0.0004;

@inline
function tanhV(x: v128): v128 {
  const xc = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-CLAMP)), f32x4.splat(CLAMP));
  const x2 = f32x4.mul(xc, xc);
  let p = f32x4.add(f32x4.mul(x2, f32x4.splat(A13)), f32x4.splat(A11));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(A9));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(A7));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(A5));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(A3));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(A1));
  p = f32x4.mul(xc, p);
  let q = f32x4.add(f32x4.mul(x2, f32x4.splat(B6)), f32x4.splat(B4));
  q = f32x4.add(f32x4.mul(x2, q), f32x4.splat(B2));
  q = f32x4.add(f32x4.mul(x2, q), f32x4.splat(B0));
  const r = f32x4.div(p, q);
  // tiny |x|: tanh x = x to float32 precision; NaN fails the compare, and gets NAN_OUT
  const tiny = f32x4.lt(f32x4.abs(x), f32x4.splat(TINY));
  return nanOut(x, v128.bitselect(x, r, tiny));
}

/**
 * The NaN that tanh returns for any NaN input. The clamp is a pseudo-min/max (one
 * instruction each on x64) that passes a NaN through with its payload; wasm's
 * f32x4.min/max, which it replaced, cost about eight instructions each (a third of the
 * kernel's time) and turned every NaN into this one, so the results keep their bits.
 */
const NAN_OUT: i32 = 0xffc00000;

@inline
function nanOut(x: v128, r: v128): v128 {
  return v128.bitselect(i32x4.splat(NAN_OUT), r, f32x4.ne(x, x));
}

@inline
function tanhS(x: f32): f32 {
  return f32x4.extract_lane(tanhV(f32x4.splat(x)), 0);
}

@inline
function sigmoidS(x: f32): f32 {
  return x >= 0 ? <f32>1 / (<f32>1 + Mathf.exp(-x)) : Mathf.exp(x) / (<f32>1 + Mathf.exp(x));
}

/**
 * o = act(o + bias) over an [m, n] block; bias = 0 means none. Inlined once per
 * activation with `act` a constant, so the per-element branches fold away.
 */
@inline
function biasActivationOf(o: usize, bias: usize, m: i32, n: i32, act: i32): void {
  const n4 = n & ~3;
  const n16 = n & ~15;
  for (let i = 0; i < m; i++) {
    const row = o + (<usize>(i * n) << 2);
    let j = 0;
    // tanh four vectors per step: one evaluation is a chain of dependent operations, and
    // four in flight keep the core busier (64000 elements: 1.2× faster than one vector
    // per step, 1.1× than two); the same operations per element, so the same bits
    if (act == 1)
      for (; j < n16; j += 16) {
        const at = row + (<usize>j << 2);
        let v = v128.load(at);
        let w = v128.load(at, 16);
        let y = v128.load(at, 32);
        let z = v128.load(at, 48);
        if (bias) {
          v = f32x4.add(v, v128.load(bias + (<usize>j << 2)));
          w = f32x4.add(w, v128.load(bias + (<usize>j << 2), 16));
          y = f32x4.add(y, v128.load(bias + (<usize>j << 2), 32));
          z = f32x4.add(z, v128.load(bias + (<usize>j << 2), 48));
        }
        v128.store(at, tanhV(v));
        v128.store(at, tanhV(w), 16);
        v128.store(at, tanhV(y), 32);
        v128.store(at, tanhV(z), 48);
      }
    for (; j < n4; j += 4) {
      const at = row + (<usize>j << 2);
      let v = v128.load(at);
      if (bias) v = f32x4.add(v, v128.load(bias + (<usize>j << 2)));
      if (act == 1) v = tanhV(v);
      else if (act == 2) v = v128.bitselect(f32x4.splat(0), v, f32x4.lt(v, f32x4.splat(0)));
      else if (act == 3) {
        // lanes through the scalar stable sigmoid (exp has no SIMD instruction)
        v = f32x4.replace_lane(v, 0, sigmoidS(f32x4.extract_lane(v, 0)));
        v = f32x4.replace_lane(v, 1, sigmoidS(f32x4.extract_lane(v, 1)));
        v = f32x4.replace_lane(v, 2, sigmoidS(f32x4.extract_lane(v, 2)));
        v = f32x4.replace_lane(v, 3, sigmoidS(f32x4.extract_lane(v, 3)));
      }
      v128.store(at, v);
    }
    for (; j < n; j++) {
      const at = row + (<usize>j << 2);
      let x = load<f32>(at);
      if (bias) x += load<f32>(bias + (<usize>j << 2));
      if (act == 1) x = tanhS(x);
      else if (act == 2) x = x < 0 ? 0 : x;
      else if (act == 3) x = sigmoidS(x);
      store<f32>(at, x);
    }
  }
}

function biasActivation(o: usize, bias: usize, m: i32, n: i32, act: i32): void {
  if (act == 1) biasActivationOf(o, bias, m, n, 1);
  else if (act == 2) biasActivationOf(o, bias, m, n, 2);
  else if (act == 3) biasActivationOf(o, bias, m, n, 3);
  else biasActivationOf(o, bias, m, n, 0);
}

/** o[m,n] = act(x[m,k]·w[k,n] + bias[n]). */
export function linear(x: usize, w: usize, bias: usize, o: usize, m: i32, k: i32, n: i32, act: i32): void {
  gemm(x, w, o, m, n, k, false, false, 0);
  if (act != 0 && n & 3) {
    // a row whose width is not a multiple of 4 ends in scalar code, where a tanh costs a
    // whole vector's (a policy's 6 actions: 3 tanh evaluations per row for 6 values). The
    // activation is elementwise, so it runs over the block as one flat row, 4 lanes at a
    // time, after the bias: the same operations per element, so the same bits.
    if (bias) biasActivation(o, bias, m, n, 0);
    biasActivation(o, 0, 1, m * n, act);
  } else if (bias || act) biasActivation(o, bias, m, n, act);
}

/** o = tanh(x) elementwise (the unary op, same approximation as the fused layer). */
export function tanh(x: usize, o: usize, len: i32): void {
  if (x != o) memory.copy(o, x, <usize>len << 2);
  biasActivation(o, 0, 1, len, 1);
}

/** o = g · act'(z) written with y = act(z): tanh 1−y², relu [y>0], sigmoid y(1−y). */
export function activationGrad(act: i32, y: usize, g: usize, o: usize, len: i32): void {
  if (act == 1) activationGradOf(1, y, g, o, len);
  else if (act == 2) activationGradOf(2, y, g, o, len);
  else if (act == 3) activationGradOf(3, y, g, o, len);
  else activationGradOf(0, y, g, o, len);
}

@inline
function activationGradOf(act: i32, y: usize, g: usize, o: usize, len: i32): void {
  const n4 = len & ~3;
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i < n4; i += 4) {
    const off = <usize>i << 2;
    const yv = v128.load(y + off);
    const gv = v128.load(g + off);
    let r: v128;
    if (act == 1) r = f32x4.mul(gv, f32x4.sub(one, f32x4.mul(yv, yv)));
    else if (act == 2) r = v128.bitselect(gv, zero, f32x4.gt(yv, zero));
    else if (act == 3) r = f32x4.mul(f32x4.mul(gv, yv), f32x4.sub(one, yv));
    else r = gv;
    v128.store(o + off, r);
  }
  for (; i < len; i++) {
    const off = <usize>i << 2;
    const yy = load<f32>(y + off);
    const gg = load<f32>(g + off);
    let r: f32;
    if (act == 1) r = gg * (1 - yy * yy);
    else if (act == 2) r = yy > 0 ? gg : 0;
    else if (act == 3) r = gg * yy * (1 - yy);
    else r = gg;
    store<f32>(o + off, r);
  }
}

/** o = a (op) b for same-length operands; op 0 add, 1 sub, 2 mul, 3 div. */
export function binary(op: i32, a: usize, b: usize, o: usize, len: i32): void {
  if (op == 0) binaryOf(0, a, b, o, len);
  else if (op == 1) binaryOf(1, a, b, o, len);
  else if (op == 2) binaryOf(2, a, b, o, len);
  else binaryOf(3, a, b, o, len);
}

@inline
function binaryOf(op: i32, a: usize, b: usize, o: usize, len: i32): void {
  const n4 = len & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const off = <usize>i << 2;
    const av = v128.load(a + off);
    const bv = v128.load(b + off);
    let r: v128;
    if (op == 0) r = f32x4.add(av, bv);
    else if (op == 1) r = f32x4.sub(av, bv);
    else if (op == 2) r = f32x4.mul(av, bv);
    else r = f32x4.div(av, bv);
    v128.store(o + off, r);
  }
  for (; i < len; i++) {
    const off = <usize>i << 2;
    const x = load<f32>(a + off);
    const z = load<f32>(b + off);
    let r: f32;
    if (op == 0) r = x + z;
    else if (op == 1) r = x - z;
    else if (op == 2) r = x * z;
    else r = x / z;
    store<f32>(o + off, r);
  }
}

/** o[n] = Σ_i x[i, :] over the rows of an [m, n] matrix (the bias gradient). */
export function sumRows(x: usize, o: usize, m: i32, n: i32): void {
  memory.fill(o, 0, <usize>n << 2);
  const n4 = n & ~3;
  for (let i = 0; i < m; i++) {
    const row = x + (<usize>(i * n) << 2);
    let j = 0;
    for (; j < n4; j += 4) {
      const off = <usize>j << 2;
      v128.store(o + off, f32x4.add(v128.load(o + off), v128.load(row + off)));
    }
    for (; j < n; j++) {
      const off = <usize>j << 2;
      store<f32>(o + off, load<f32>(o + off) + load<f32>(row + off));
    }
  }
}
