/**
 * A minimal WebAssembly binary writer: one module with one imported memory and exported
 * functions, and the handful of instructions generated kernels use (locals, i32
 * arithmetic, structured loops, v128 loads/stores/splats, f32x4 arithmetic, comparisons
 * and bitselect). Opcodes and encodings follow the WebAssembly core specification
 * (binary format, with the fixed-width SIMD proposal's 0xfd-prefixed instructions).
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`uleb: ${n} is not a non-negative integer`);
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31)
    throw new RangeError(`sleb: ${n} is not a 32-bit integer`);
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

function utf8(s: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(s));
  return [...uleb(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** 0xfd-prefixed SIMD opcodes used here. */
export const SIMD = {
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  f32x4Splat: 0x13,
  f32x4Eq: 0x41,
  f32x4Ne: 0x42,
  f32x4Lt: 0x43,
  f32x4Gt: 0x44,
  f32x4Le: 0x45,
  f32x4Ge: 0x46,
  and: 0x4e,
  or: 0x50,
  bitselect: 0x52,
  f32x4Abs: 0xe0,
  f32x4Neg: 0xe1,
  f32x4Sqrt: 0xe3,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Min: 0xe8,
  f32x4Max: 0xe9,
} as const;

/** One function body: declare locals, then append instructions. */
export class FunctionBody {
  private readonly locals: ValType[] = [];
  readonly code: number[] = [];

  constructor(readonly params: readonly ValType[]) {}

  /** A new local of type t; returns its index (after the parameters). */
  local(t: ValType): number {
    return this.params.length + this.locals.push(t) - 1;
  }

  get(i: number): this {
    this.code.push(0x20, ...uleb(i));
    return this;
  }
  set(i: number): this {
    this.code.push(0x21, ...uleb(i));
    return this;
  }
  tee(i: number): this {
    this.code.push(0x22, ...uleb(i));
    return this;
  }
  i32Const(n: number): this {
    this.code.push(0x41, ...sleb(n));
    return this;
  }
  f32Const(x: number): this {
    const b = new Uint8Array(new Float32Array([x]).buffer);
    this.code.push(0x43, ...b);
    return this;
  }
  i32Add(): this {
    this.code.push(0x6a);
    return this;
  }
  i32LtU(): this {
    this.code.push(0x49);
    return this;
  }
  i32GeU(): this {
    this.code.push(0x4f);
    return this;
  }
  /** block / loop with no result; close with end(). */
  block(): this {
    this.code.push(0x02, 0x40);
    return this;
  }
  loop(): this {
    this.code.push(0x03, 0x40);
    return this;
  }
  brIf(depth: number): this {
    this.code.push(0x0d, ...uleb(depth));
    return this;
  }
  end(): this {
    this.code.push(0x0b);
    return this;
  }
  /** A SIMD instruction without immediates. */
  simd(op: number): this {
    this.code.push(0xfd, ...uleb(op));
    return this;
  }
  /** v128.load / v128.store at the address on the stack (16-byte alignment hint, offset 0). */
  v128Load(): this {
    this.code.push(0xfd, ...uleb(SIMD.load), 4, 0);
    return this;
  }
  v128Store(): this {
    this.code.push(0xfd, ...uleb(SIMD.store), 4, 0);
    return this;
  }
  /** A v128 constant with x in all four float32 lanes. */
  f32x4Const(x: number): this {
    const b = new Uint8Array(new Float32Array([x, x, x, x]).buffer);
    this.code.push(0xfd, ...uleb(SIMD.const), ...b);
    return this;
  }

  /** The encoded body: locals (run-length grouped by type), code, end. */
  encode(): number[] {
    const groups: number[][] = [];
    for (let i = 0; i < this.locals.length;) {
      let j = i;
      while (j < this.locals.length && this.locals[j] === this.locals[i]) j++;
      groups.push([...uleb(j - i), this.locals[i]!]);
      i = j;
    }
    const body = [...vec(groups), ...this.code, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

/**
 * A module importing one memory (`env.memory`, no minimum) and exporting each function
 * under its name. Functions return nothing.
 */
export function moduleBytes(functions: readonly { name: string; body: FunctionBody }[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.body.params.map((t) => [t])), 0]);
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, vec([[...utf8('env'), ...utf8('memory'), 0x02, 0x00, 0x00]])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(functions.map((f) => f.body.encode()))),
  ];
  return new Uint8Array(bytes);
}
