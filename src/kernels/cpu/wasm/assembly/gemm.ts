/**
 * Float32 matrix products with 128-bit SIMD (AssemblyScript, compiled to
 * kernels.wasm). C[m,n] (+)= op(A)·op(B), all operands row-major in linear memory.
 *
 * Register blocking: a 4×8 block of C lives in eight f32x4 accumulators while the
 * loop runs over the shared dimension p, so each loaded vector of B feeds four
 * multiply-adds and each broadcast element of A feeds two. Cache blocking: p runs in
 * panels of KC so the 8-column strip of B being reused across all row blocks stays in
 * L1. op(A) is read through row/column strides (A or Aᵀ, no copy); when B is
 * transposed it is first packed into `scratch` as a k×n row-major copy, so every
 * variant shares the one micro-kernel that reads B rows contiguously.
 */

const KC: i32 = 256;

/**
 * A block of 4 rows × 8 columns: C (+)= Σ over p in [p0, p1) of op(A)(i.., p) · B(p, j..);
 * with cols < 8 (the last 5–7 columns) only those are stored, the loads reading up to 12
 * bytes past a row as in block4x4.
 */
@inline
function block4x8(
  a: usize, rsA: i32, csA: i32, b: usize, n: i32, c: usize,
  i: i32, j: i32, p0: i32, p1: i32, accumulate: bool, cols: i32,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let pa = a + (<usize>(i * rsA + p0 * csA) << 2);
  let pb = b + (<usize>(p0 * n + j) << 2);
  const sa = <usize>csA << 2;
  const sb = <usize>n << 2;
  const r1 = <usize>rsA << 2;
  for (let p = p0; p < p1; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(av, b0));
    c01 = f32x4.add(c01, f32x4.mul(av, b1));
    av = v128.load32_splat(pa + r1);
    c10 = f32x4.add(c10, f32x4.mul(av, b0));
    c11 = f32x4.add(c11, f32x4.mul(av, b1));
    av = v128.load32_splat(pa + 2 * r1);
    c20 = f32x4.add(c20, f32x4.mul(av, b0));
    c21 = f32x4.add(c21, f32x4.mul(av, b1));
    av = v128.load32_splat(pa + 3 * r1);
    c30 = f32x4.add(c30, f32x4.mul(av, b0));
    c31 = f32x4.add(c31, f32x4.mul(av, b1));
    pa += sa;
    pb += sb;
  }
  const sc = <usize>n << 2;
  let pc = c + (<usize>(i * n + j) << 2);
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(pc)); c01 = f32x4.add(c01, v128.load(pc, 16));
    c10 = f32x4.add(c10, v128.load(pc + sc)); c11 = f32x4.add(c11, v128.load(pc + sc, 16));
    c20 = f32x4.add(c20, v128.load(pc + 2 * sc)); c21 = f32x4.add(c21, v128.load(pc + 2 * sc, 16));
    c30 = f32x4.add(c30, v128.load(pc + 3 * sc)); c31 = f32x4.add(c31, v128.load(pc + 3 * sc, 16));
  }
  if (cols == 8) {
    v128.store(pc, c00); v128.store(pc, c01, 16);
    pc += sc;
    v128.store(pc, c10); v128.store(pc, c11, 16);
    pc += sc;
    v128.store(pc, c20); v128.store(pc, c21, 16);
    pc += sc;
    v128.store(pc, c30); v128.store(pc, c31, 16);
    return;
  }
  const rest = cols - 4;
  v128.store(pc, c00); storeLanes(pc + 16, c01, rest);
  pc += sc;
  v128.store(pc, c10); storeLanes(pc + 16, c11, rest);
  pc += sc;
  v128.store(pc, c20); storeLanes(pc + 16, c21, rest);
  pc += sc;
  v128.store(pc, c30); storeLanes(pc + 16, c31, rest);
}

/** Stores the first `cols` lanes of v at pc (all four when cols >= 4). */
@inline
function storeLanes(pc: usize, v: v128, cols: i32): void {
  if (cols >= 4) {
    v128.store(pc, v);
    return;
  }
  store<f32>(pc, f32x4.extract_lane(v, 0));
  if (cols > 1) store<f32>(pc, f32x4.extract_lane(v, 1), 4);
  if (cols > 2) store<f32>(pc, f32x4.extract_lane(v, 2), 8);
}

/**
 * Up to 4 rows × 4 columns; with cols < 4 (the last columns of C) the vector loads of B
 * and C read up to 12 bytes past the row, which the arena keeps addressable (its guard
 * bytes), and only the valid lanes are stored.
 */
@inline
function block4x4(
  a: usize, rsA: i32, csA: i32, b: usize, n: i32, c: usize,
  i: i32, j: i32, p0: i32, p1: i32, accumulate: bool, cols: i32,
): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let pa = a + (<usize>(i * rsA + p0 * csA) << 2);
  let pb = b + (<usize>(p0 * n + j) << 2);
  const sa = <usize>csA << 2;
  const sb = <usize>n << 2;
  const r1 = <usize>rsA << 2;
  for (let p = p0; p < p1; p++) {
    const bv = v128.load(pb);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), bv));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(pa + r1), bv));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(pa + 2 * r1), bv));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(pa + 3 * r1), bv));
    pa += sa;
    pb += sb;
  }
  const sc = <usize>n << 2;
  const pc = c + (<usize>(i * n + j) << 2);
  if (accumulate) {
    c0 = f32x4.add(c0, v128.load(pc));
    c1 = f32x4.add(c1, v128.load(pc + sc));
    c2 = f32x4.add(c2, v128.load(pc + 2 * sc));
    c3 = f32x4.add(c3, v128.load(pc + 3 * sc));
  }
  storeLanes(pc, c0, cols);
  storeLanes(pc + sc, c1, cols);
  storeLanes(pc + 2 * sc, c2, cols);
  storeLanes(pc + 3 * sc, c3, cols);
}

/** One row × 4 columns (the last rows when m is not a multiple of 4); cols < 4 as in block4x4. */
@inline
function block1x4(
  a: usize, rsA: i32, csA: i32, b: usize, n: i32, c: usize,
  i: i32, j: i32, p0: i32, p1: i32, accumulate: bool, cols: i32,
): void {
  let acc = f32x4.splat(0);
  let pa = a + (<usize>(i * rsA + p0 * csA) << 2);
  let pb = b + (<usize>(p0 * n + j) << 2);
  const sa = <usize>csA << 2;
  const sb = <usize>n << 2;
  for (let p = p0; p < p1; p++) {
    acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
    pa += sa;
    pb += sb;
  }
  const pc = c + (<usize>(i * n + j) << 2);
  if (accumulate) acc = f32x4.add(acc, v128.load(pc));
  storeLanes(pc, acc, cols);
}

/** C[m,n] = op(A)·B with op(A)(i,p) = A[i·rsA + p·csA] and B row-major [k, n]. */
function gemmStrided(a: usize, rsA: i32, csA: i32, b: usize, c: usize, m: i32, n: i32, k: i32): void {
  if (k == 0) {
    memory.fill(c, 0, <usize>(m * n) << 2);
    return;
  }
  const n8 = n & ~7;
  const m4 = m & ~3;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const p1 = min(p0 + KC, k);
    const acc = p0 > 0;
    for (let j = 0; j < n8; j += 8) {
      for (let i = 0; i < m4; i += 4) block4x8(a, rsA, csA, b, n, c, i, j, p0, p1, acc, 8);
      for (let i = m4; i < m; i++) {
        block1x4(a, rsA, csA, b, n, c, i, j, p0, p1, acc, 4);
        block1x4(a, rsA, csA, b, n, c, i, j + 4, p0, p1, acc, 4);
      }
    }
    // the last 1..7 columns: one 8-wide strip storing 5–7 of them (all accumulators busy),
    // or a 4-wide one storing 1–4
    const rem = n - n8;
    if (rem > 4) {
      for (let i = 0; i < m4; i += 4) block4x8(a, rsA, csA, b, n, c, i, n8, p0, p1, acc, rem);
      for (let i = m4; i < m; i++) {
        block1x4(a, rsA, csA, b, n, c, i, n8, p0, p1, acc, 4);
        block1x4(a, rsA, csA, b, n, c, i, n8 + 4, p0, p1, acc, rem - 4);
      }
    } else if (rem > 0) {
      for (let i = 0; i < m4; i += 4) block4x4(a, rsA, csA, b, n, c, i, n8, p0, p1, acc, rem);
      for (let i = m4; i < m; i++) block1x4(a, rsA, csA, b, n, c, i, n8, p0, p1, acc, rem);
    }
  }
}

/**
 * dst = srcᵀ for a row-major src [rows, cols] (packing a transposed B): 4×4 tiles moved
 * through registers with shuffles, the ragged edges element by element.
 */
function transposeInto(src: usize, dst: usize, rows: i32, cols: i32): void {
  const r4 = rows & ~3;
  const c4 = cols & ~3;
  const sr = <usize>cols << 2; // bytes per src row
  const dr = <usize>rows << 2; // bytes per dst row
  for (let r = 0; r < r4; r += 4) {
    for (let q = 0; q < c4; q += 4) {
      const s = src + (<usize>(r * cols + q) << 2);
      const a = v128.load(s);
      const b = v128.load(s + sr);
      const c = v128.load(s + 2 * sr);
      const d = v128.load(s + 3 * sr);
      // [a0 b0 a1 b1], [c0 d0 c1 d1], [a2 b2 a3 b3], [c2 d2 c3 d3]
      const ab01 = i32x4.shuffle(a, b, 0, 4, 1, 5);
      const cd01 = i32x4.shuffle(c, d, 0, 4, 1, 5);
      const ab23 = i32x4.shuffle(a, b, 2, 6, 3, 7);
      const cd23 = i32x4.shuffle(c, d, 2, 6, 3, 7);
      const t = dst + (<usize>(q * rows + r) << 2);
      v128.store(t, i64x2.shuffle(ab01, cd01, 0, 2));
      v128.store(t + dr, i64x2.shuffle(ab01, cd01, 1, 3));
      v128.store(t + 2 * dr, i64x2.shuffle(ab23, cd23, 0, 2));
      v128.store(t + 3 * dr, i64x2.shuffle(ab23, cd23, 1, 3));
    }
    for (let q = c4; q < cols; q++)
      for (let i = r; i < r + 4; i++)
        store<f32>(dst + (<usize>(q * rows + i) << 2), load<f32>(src + (<usize>(i * cols + q) << 2)));
  }
  for (let r = r4; r < rows; r++) {
    const s = src + (<usize>(r * cols) << 2);
    for (let q = 0; q < cols; q++) store<f32>(dst + (<usize>(q * rows + r) << 2), load<f32>(s + (<usize>q << 2)));
  }
}

/**
 * C[m,n] = op(A)·op(B). transA: A is [k,m], else [m,k]; transB: B is [n,k] (packed into
 * scratch, k·n floats), else [k,n].
 */
export function gemm(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool, scratch: usize,
): void {
  let bb = b;
  if (transB) {
    transposeInto(b, scratch, n, k);
    bb = scratch;
  }
  if (transA) gemmStrided(a, 1, m, bb, c, m, n, k);
  else gemmStrided(a, k, 1, bb, c, m, n, k);
}
