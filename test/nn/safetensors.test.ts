import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import * as sr from '../../src/index.js';
import {
  Adam,
  decodeSafetensors,
  encodeSafetensors,
  loadModule,
  loadOptimizer,
  loadSafetensors,
  MLP,
  saveModule,
  saveOptimizer,
  saveSafetensors,
  SafetensorsError,
} from '../../src/nn/node.js';

const dir = mkdtempSync(join(tmpdir(), 'sr2l-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file from a header string and data bytes, the length field written by hand. */
function fileOf(header: string, data: Uint8Array = new Uint8Array(0), headerLength?: number): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  const n = headerLength ?? h.length;
  for (let i = 0; i < 8; i++) out[i] = Math.floor(n / 2 ** (8 * i)) & 0xff;
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const bytesOf = (a: Float32Array | Float64Array | Int32Array): number[] =>
  Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

function sample(): Map<string, sr.Tensor> {
  return new Map([
    ['w', sr.tensor(new Float32Array([1.5, -0, NaN, Infinity, 1e-45, -3.25]), { shape: [2, 3] })],
    ['d', sr.tensor(new Float64Array([Math.PI, -Number.MIN_VALUE, Number.MAX_VALUE]), { shape: [3, 1] })],
    ['idx', sr.tensor(new Int32Array([2147483647, -2147483648, 0, 7]), { shape: [4] })],
    ['scalar', sr.tensor(new Float64Array([2.5]), { shape: [] })],
    ['empty', sr.zeros([0])],
    ['empty2d', sr.zeros([2, 0], { dtype: 'float64' })],
  ]);
}

describe('safetensors encoding', () => {
  test('round trip is byte-exact and keeps every value bit for bit', () => {
    const tensors = sample();
    const meta = { format: 'pt', note: 'héllo ✓' };
    const bytes = encodeSafetensors(tensors, meta);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual(meta);
    expect([...back.tensors.keys()].sort()).toEqual([...tensors.keys()].sort());
    for (const [name, t] of tensors) {
      const u = back.tensors.get(name)!;
      expect(u.dtype).toBe(t.dtype);
      expect(u.shape).toEqual(t.shape);
      expect(bytesOf(u.dataSync())).toEqual(bytesOf(t.dataSync()));
    }
    expect(encodeSafetensors(back.tensors, back.metadata)).toEqual(bytes);
  });

  test('layout: u64 LE length, space-padded JSON sorted by name, contiguous offsets, LE data', () => {
    const bytes = encodeSafetensors(
      new Map([
        ['b', sr.tensor(new Int32Array([1, -2]))],
        ['a', sr.tensor(new Float32Array([0.5]), { shape: [1, 1] })],
      ]),
      { k: 'v' },
    );
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    const json =
      '{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"b":{"dtype":"I32","shape":[2],"data_offsets":[4,12]}}';
    expect(text).toBe(json.padEnd(n, ' '));
    expect(bytes.length).toBe(8 + n + 12);
    expect(view.getFloat32(8 + n, true)).toBe(0.5);
    expect(view.getInt32(8 + n + 4, true)).toBe(1);
    expect(view.getInt32(8 + n + 8, true)).toBe(-2);
  });

  test('the reference layout: no tensors is "{}" padded to 8; widest dtype first keeps data aligned', () => {
    const empty = encodeSafetensors({});
    expect(Array.from(empty.subarray(0, 8))).toEqual([8, 0, 0, 0, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(empty.subarray(8))).toBe('{}      ');
    const bytes = encodeSafetensors({
      a: sr.tensor(new Int32Array([1, 2, 3])),
      b: sr.tensor(new Float32Array([1, 2, 3])),
      c: sr.tensor(new Float64Array([1, 2])),
      d: sr.tensor(new Float64Array([3])),
    });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
      string,
      { data_offsets: number[] }
    >;
    expect(Object.keys(header)).toEqual(['c', 'd', 'b', 'a']);
    expect(Object.values(header).map((h) => h.data_offsets)).toEqual([
      [0, 16],
      [16, 24],
      [24, 36],
      [36, 48],
    ]);
  });

  test('a header and data written by hand decode (keys in another order, padding, metadata last)', () => {
    const data = new Uint8Array(8 + 12 + 16);
    const dv = new DataView(data.buffer);
    // x: F64 scalar at [0, 8); y: F32 [3] at [8, 20); z: I32 [2, 2] at [20, 36)
    dv.setFloat64(0, -1.25, true);
    [1, 2.5, -4].forEach((v, i) => dv.setFloat32(8 + 4 * i, v, true));
    [5, -6, 7, 8].forEach((v, i) => dv.setInt32(20 + 4 * i, v, true));
    const header =
      '{ "z": {"shape": [2, 2], "data_offsets": [20, 36], "dtype": "I32"},\n' +
      '  "x": {"dtype": "F64", "shape": [], "data_offsets": [0, 8]},\n' +
      '  "y": {"data_offsets": [8, 20], "dtype": "F32", "shape": [3]},\n' +
      '  "__metadata__": {"format": "pt"} }      ';
    const { tensors, metadata } = decodeSafetensors(fileOf(header, data));
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.get('x')!.shape).toEqual([]);
    expect(tensors.get('x')!.item()).toBe(-1.25);
    expect(tensors.get('y')!.toArray()).toEqual([1, 2.5, -4]);
    expect(tensors.get('z')!.dtype).toBe('int32');
    expect(tensors.get('z')!.toArray()).toEqual([
      [5, -6],
      [7, 8],
    ]);
  });
});

describe('safetensors errors name the file and the problem', () => {
  const f32 = (n: number): Uint8Array => new Uint8Array(4 * n);
  const cases: [string, Uint8Array, string][] = [
    ['short', new Uint8Array(5), 'the file is 5 bytes, shorter than the 8-byte header length'],
    [
      'long-header',
      fileOf('{}', new Uint8Array(0), 1000),
      'the header length 1000 runs past the end of the file (2 bytes after the length field)',
    ],
    ['huge-header', fileOf('{}', new Uint8Array(0), 2 ** 53), 'runs past the end of the file'],
    ['not-json', fileOf('{"a": '), 'the header is not valid JSON'],
    [
      'not-utf8',
      (() => {
        const b = fileOf('{"a":1}');
        b[9] = 0xff;
        return b;
      })(),
      'the header is not valid UTF-8',
    ],
    ['array', fileOf('[1, 2]'), 'the header is not a JSON object'],
    [
      'dtype',
      fileOf('{"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}', f32(1)),
      'tensor \'a\': unsupported dtype "BF16" (supported: F32, F64, I32)',
    ],
    [
      'shape',
      fileOf('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', f32(1)),
      "tensor 'a': shape must be an array of non-negative integers, got [-1]",
    ],
    [
      'range',
      fileOf('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', f32(1)),
      "tensor 'a': data_offsets [0, 8] are out of range (the data section has 4 bytes)",
    ],
    [
      'reversed',
      fileOf('{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}', f32(1)),
      "tensor 'a': data_offsets must be [begin, end] with 0 <= begin <= end, got [4,0]",
    ],
    [
      'size',
      fileOf('{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}', f32(2)),
      "tensor 'a': data_offsets [0, 8] hold 8 bytes but shape [2] of F64 needs 16",
    ],
    [
      'overlap',
      fileOf(
        '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}',
        f32(3),
      ),
      "tensors 'a' [0, 8] and 'b' [4, 12] overlap",
    ],
    [
      'gap',
      fileOf('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32(2)),
      "bytes [0, 4) of the data section before tensor 'a' belong to no tensor",
    ],
    [
      'trailing',
      fileOf('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(3)),
      '8 trailing bytes after the last tensor are not covered by any tensor',
    ],
    ['metadata', fileOf('{"__metadata__":{"a":1}}'), "__metadata__ value 'a' is not a string"],
  ];

  test.each(cases)('%s', async (name, bytes, problem) => {
    const path = join(dir, `${name}.safetensors`);
    writeFileSync(path, bytes);
    const err = await loadSafetensors(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SafetensorsError);
    expect((err as SafetensorsError).file).toBe(path);
    expect((err as Error).message).toContain(`safetensors: ${path}: `);
    expect((err as Error).message).toContain(problem);
  });

  test('in-memory decoding names the source it is given', () => {
    expect(() => decodeSafetensors(new Uint8Array(3), { name: 'upload.bin' })).toThrow(
      'safetensors: upload.bin: the file is 3 bytes',
    );
  });

  test('bad input to the writer is reported', () => {
    expect(() => encodeSafetensors({ __metadata__: sr.zeros([1]) })).toThrow(
      "invalid tensor name '__metadata__'",
    );
    expect(() => encodeSafetensors({ a: sr.zeros([1]) }, { n: 1 as unknown as string })).toThrow(
      "metadata values must be strings; 'n' is number",
    );
  });
});

describe('atomic files', () => {
  test('save leaves only the target file; load reads it back', async () => {
    const sub = mkdtempSync(join(dir, 'ok-'));
    const path = join(sub, 'w.safetensors');
    await saveSafetensors(path, sample(), { a: 'b' });
    expect(readdirSync(sub)).toEqual(['w.safetensors']);
    expect(new Uint8Array(readFileSync(path))).toEqual(encodeSafetensors(sample(), { a: 'b' }));
    const { tensors } = await loadSafetensors(path);
    expect(tensors.get('d')!.toArray()).toEqual([[Math.PI], [-Number.MIN_VALUE], [Number.MAX_VALUE]]);
  });

  test('a failure mid-write keeps the old file intact and removes the temp file', async () => {
    const sub = mkdtempSync(join(dir, 'fail-'));
    const path = join(sub, 'w.safetensors');
    await saveSafetensors(path, { a: sr.ones([4]) });
    const old = readFileSync(path);
    const probe = await open(path, 'r');
    const proto = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => Promise<unknown> };
    await probe.close();
    const realWrite = proto.write;
    const spy = vi.spyOn(proto, 'write').mockImplementation(async function (this: unknown, buf: unknown) {
      const b = buf as Uint8Array;
      await realWrite.call(this, b.subarray(0, b.length >> 1));
      throw new Error('ENOSPC: no space left on device (simulated)');
    });
    try {
      await expect(saveSafetensors(path, { a: sr.zeros([1000]) })).rejects.toThrow('ENOSPC');
    } finally {
      spy.mockRestore();
    }
    expect(readFileSync(path)).toEqual(old);
    expect(readdirSync(sub)).toEqual(['w.safetensors']);
  });
});

describe('modules and optimizers on disk', () => {
  test('saveModule / loadModule round trip; a mismatched module gets an error naming the file', async () => {
    const path = join(dir, 'mlp.safetensors');
    const a = new MLP([3, 8, 2], { rng: 1 });
    await saveModule(path, a, { env: 'Hopper-v4' });
    const b = new MLP([3, 8, 2], { rng: 2 });
    expect(await loadModule(path, b)).toEqual({ env: 'Hopper-v4' });
    for (const [n, p] of b.namedParameters())
      expect(p.toArray()).toEqual(a.namedParameters().get(n)!.toArray());
    await expect(loadModule(path, new MLP([3, 9, 2]))).rejects.toThrow(
      `loadStateDict (${path}): shape mismatch for 'layers.0.weight'`,
    );
    await expect(loadModule(path, new MLP([3, 8, 8, 2]))).rejects.toThrow(
      `missing keys: layers.2.weight, layers.2.bias`,
    );
  });

  test('saveOptimizer / loadOptimizer resume identically', async () => {
    const path = join(dir, 'adam.safetensors');
    const mpath = join(dir, 'adam-model.safetensors');
    const x = sr.rng(3).randn([16, 2]);
    const run = (m: MLP, o: Adam, n: number): void => {
      for (let i = 0; i < n; i++) {
        o.zeroGrad();
        m.forward(x).square().mean().backward();
        o.step();
      }
    };
    const m1 = new MLP([2, 6, 1], { rng: 4 });
    const o1 = new Adam(m1, { lr: 0.02, betas: [0.85, 0.99], maxGradNorm: 0.3 });
    run(m1, o1, 3);
    await saveModule(mpath, m1);
    await saveOptimizer(path, o1);
    run(m1, o1, 3);
    const m2 = new MLP([2, 6, 1], { rng: 5 });
    const o2 = new Adam(m2);
    await loadModule(mpath, m2);
    await loadOptimizer(path, o2);
    expect([o2.stepCount, o2.lr, o2.beta1, o2.maxGradNorm]).toEqual([3, 0.02, 0.85, 0.3]);
    run(m2, o2, 3);
    for (const [n, p] of m2.namedParameters())
      expect(p.toArray()).toEqual(m1.namedParameters().get(n)!.toArray());
    await expect(loadOptimizer(mpath, o2)).rejects.toThrow(
      `safetensors: ${mpath}: no 'sr2l.optimizer' metadata`,
    );
  });
});
