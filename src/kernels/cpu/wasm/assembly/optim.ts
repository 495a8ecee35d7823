/**
 * In-place optimizer kernels on float32 storage with float64 arithmetic in f64x2 lanes:
 * the same operations in the same order as the JavaScript loops (cpu/optim.ts), which
 * compute in double and round once when storing, so both give identical bits.
 */

/** Two float32s at `at` widened to an f64x2. */
@inline
function load2(at: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(at));
}

/** An f64x2 rounded to two float32s stored at `at`. */
@inline
function store2(at: usize, v: v128): void {
  v128.store64_lane(at, f32x4.demote_f64x2_zero(v), 0);
}

/**
 * Adam (decoupled weight decay wd; 0 gives plain Adam) over len elements; c1, c2 are the
 * bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ.
 */
export function adam(
  p: usize, g: usize, m: usize, v: usize, len: i32,
  lr: f64, beta1: f64, beta2: f64, eps: f64, wd: f64, c1: f64, c2: f64,
): void {
  const b1 = f64x2.splat(beta1);
  const b2 = f64x2.splat(beta2);
  const o1 = f64x2.splat(1 - beta1);
  const o2 = f64x2.splat(1 - beta2);
  const vlr = f64x2.splat(lr);
  const ve = f64x2.splat(eps);
  const vwd = f64x2.splat(wd);
  const vc1 = f64x2.splat(c1);
  const vc2 = f64x2.splat(c2);
  const n2 = len & ~1;
  let i = 0;
  for (; i < n2; i += 2) {
    const off = <usize>i << 2;
    const gv = load2(g + off);
    const mv = f64x2.add(f64x2.mul(b1, load2(m + off)), f64x2.mul(o1, gv));
    const vv = f64x2.add(f64x2.mul(b2, load2(v + off)), f64x2.mul(f64x2.mul(o2, gv), gv));
    store2(m + off, mv);
    store2(v + off, vv);
    const pv = load2(p + off);
    const step = f64x2.add(
      f64x2.div(f64x2.div(mv, vc1), f64x2.add(f64x2.sqrt(f64x2.div(vv, vc2)), ve)),
      f64x2.mul(vwd, pv),
    );
    store2(p + off, f64x2.sub(pv, f64x2.mul(vlr, step)));
  }
  for (; i < len; i++) {
    const off = <usize>i << 2;
    const gs = <f64>load<f32>(g + off);
    const ms = beta1 * <f64>load<f32>(m + off) + (1 - beta1) * gs;
    const vs = beta2 * <f64>load<f32>(v + off) + (1 - beta2) * gs * gs;
    store<f32>(m + off, <f32>ms);
    store<f32>(v + off, <f32>vs);
    const ps = <f64>load<f32>(p + off);
    store<f32>(p + off, <f32>(ps - lr * (ms / c1 / (Math.sqrt(vs / c2) + eps) + wd * ps)));
  }
}

/** p += alpha · x over len elements. */
export function axpy(p: usize, x: usize, len: i32, alpha: f64): void {
  const va = f64x2.splat(alpha);
  const n2 = len & ~1;
  let i = 0;
  for (; i < n2; i += 2) {
    const off = <usize>i << 2;
    store2(p + off, f64x2.add(load2(p + off), f64x2.mul(va, load2(x + off))));
  }
  for (; i < len; i++) {
    const off = <usize>i << 2;
    store<f32>(p + off, <f32>(<f64>load<f32>(p + off) + alpha * <f64>load<f32>(x + off)));
  }
}
