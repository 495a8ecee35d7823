/**
 * The safetensors format (https://github.com/huggingface/safetensors), read and written
 * so that files pass the Python library's checks both ways:
 *
 *   8 bytes    N, the header length, unsigned little-endian
 *   N bytes    UTF-8 JSON: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [b, e]},
 *              ..., "__metadata__": {"key": "value"}}, padded with spaces to a multiple of 8
 *   the rest   raw little-endian tensor data; offsets are relative to its start and the
 *              tensors tile it exactly (contiguous, no overlap, nothing left over)
 *
 * We write tensors in the reference writer's order (widest dtype first, then by name;
 * compact JSON, `__metadata__` first). Reading checks every one of these rules and names the
 * file and the broken rule. This module works on bytes (it also runs in a browser); files
 * are read and written by safetensors-file.ts.
 */
import { getDefaultBackend } from '../autograd/default-backend.js';
import { Tensor } from '../autograd/tensor.js';
import type { Backend } from '../kernels/backend.js';
import { arrayFor, bytesPerElement, type DType, type TypedArray } from '../kernels/dtype.js';
import { fmtShape, sizeOf } from '../kernels/shape.js';

export type SafetensorsDType = 'F32' | 'F64' | 'I32';
const TO_FILE: Record<DType, SafetensorsDType> = { float32: 'F32', float64: 'F64', int32: 'I32' };
const FROM_FILE: Record<string, DType> = { F32: 'float32', F64: 'float64', I32: 'int32' };
const WRITE_RANK: Record<DType, number> = { float64: 0, float32: 1, int32: 2 };
const METADATA = '__metadata__';
/** The Python library's limit; a larger header means a corrupt length field. */
const MAX_HEADER = 100_000_000;

export type TensorMap = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

export interface SafetensorsContents {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

export interface DecodeOptions {
  /** Where the bytes came from, for error messages (default '<memory>'). */
  name?: string;
  /** Backend for the tensors (default: the default backend). */
  backend?: Backend;
}

/** A bad safetensors file: `file` names it, `problem` says what is wrong. */
export class SafetensorsError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`safetensors: ${file}: ${problem}`);
    this.name = 'SafetensorsError';
  }
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
function assertLittleEndianHost(): void {
  if (!littleEndian) throw new Error('safetensors: big-endian hosts are not supported');
}

interface HostTensor {
  name: string;
  dtype: DType;
  shape: readonly number[];
  data: TypedArray;
}

function entriesOf(tensors: TensorMap): [string, Tensor][] {
  return tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
}

function checkInputs(entries: [string, Tensor][], metadata: Record<string, string>): void {
  for (const [name, t] of entries) {
    if (name === '' || name === METADATA) throw new RangeError(`safetensors: invalid tensor name '${name}'`);
    if (!(t instanceof Tensor)) throw new TypeError(`safetensors: '${name}' is not a Tensor`);
    t.assertAlive(`safetensors ('${name}')`);
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') {
      throw new TypeError(`safetensors: metadata values must be strings; '${k}' is ${typeof v}`);
    }
  }
}

/** The file bytes for host tensors, in the order described above. */
function encodeHost(host: HostTensor[], metadata: Record<string, string>): Uint8Array {
  assertLittleEndianHost();
  // the reference writer's order: widest dtype first (F64, F32, I32), then by name, so
  // every tensor's data starts at a multiple of its element size
  host.sort(
    (a, b) => WRITE_RANK[a.dtype] - WRITE_RANK[b.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header[METADATA] = { ...metadata };
  let offset = 0;
  for (const t of host) {
    const end = offset + t.data.byteLength;
    header[t.name] = { dtype: TO_FILE[t.dtype], shape: [...t.shape], data_offsets: [offset, end] };
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const n = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + n + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  let at = 8 + n;
  for (const t of host) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** Encodes tensors (read synchronously: CPU backend) and string metadata as safetensors bytes. */
export function encodeSafetensors(tensors: TensorMap, metadata: Record<string, string> = {}): Uint8Array {
  const entries = entriesOf(tensors);
  checkInputs(entries, metadata);
  return encodeHost(
    entries.map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape, data: t.dataSync() })),
    metadata,
  );
}

/** Encodes tensors from any backend (read asynchronously: WebGPU too) and string metadata as safetensors bytes. */
export async function encodeSafetensorsAsync(
  tensors: TensorMap,
  metadata: Record<string, string> = {},
): Promise<Uint8Array> {
  const entries = entriesOf(tensors);
  checkInputs(entries, metadata);
  // every read is issued before the first await, so the bytes are one consistent snapshot
  const data = await Promise.all(entries.map(([, t]) => t.data()));
  const host = entries.map(([name, t], i) => ({ name, dtype: t.dtype, shape: t.shape, data: data[i]! }));
  return encodeHost(host, metadata);
}

interface Entry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** Parses and checks the header; returns the tensor entries and the metadata. */
function parseHeader(
  bytes: Uint8Array,
  fail: (problem: string) => never,
): { entries: Entry[]; metadata: Record<string, string>; dataStart: number } {
  if (bytes.length < 8) fail(`the file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8)) {
    fail(
      `the header length ${n} runs past the end of the file (${bytes.length - 8} bytes after the length field)`,
    );
  }
  if (n > BigInt(MAX_HEADER)) fail(`the header length ${n} exceeds the limit of ${MAX_HEADER} bytes`);
  const dataStart = 8 + Number(n);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart));
  } catch {
    fail('the header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail('the header is not a JSON object');
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA) {
      if (typeof info !== 'object' || info === null || Array.isArray(info))
        fail(`${METADATA} is not an object`);
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`${METADATA} value '${k}' is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    if (typeof info !== 'object' || info === null) fail(`tensor '${name}': the entry is not an object`);
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in FROM_FILE)) {
      fail(
        `tensor '${name}': unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(FROM_FILE).join(', ')})`,
      );
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) {
      fail(`tensor '${name}': shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every(isCount) ||
      offsets[0] > offsets[1]
    ) {
      fail(
        `tensor '${name}': data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`,
      );
    }
    const [begin, end] = offsets as [number, number];
    const dataLength = bytes.length - dataStart;
    if (end > dataLength) {
      fail(
        `tensor '${name}': data_offsets [${begin}, ${end}] are out of range (the data section has ${dataLength} bytes)`,
      );
    }
    const t: Entry = { name, dtype: FROM_FILE[dtype]!, shape: shape as number[], begin, end };
    const need = sizeOf(t.shape) * bytesPerElement(t.dtype);
    if (end - begin !== need) {
      fail(
        `tensor '${name}': data_offsets [${begin}, ${end}] hold ${end - begin} bytes but shape ${fmtShape(t.shape)} of ${dtype} needs ${need}`,
      );
    }
    entries.push(t);
  }
  return { entries, metadata, dataStart };
}

/** Checks that the tensors tile the data section exactly: no gap, no overlap, nothing left over. */
function checkTiling(entries: Entry[], dataLength: number, fail: (problem: string) => never): void {
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let prev: Entry | null = null;
  for (const t of sorted) {
    if (t.begin < at)
      fail(
        `tensors '${prev!.name}' [${prev!.begin}, ${prev!.end}] and '${t.name}' [${t.begin}, ${t.end}] overlap`,
      );
    if (t.begin > at)
      fail(`bytes [${at}, ${t.begin}) of the data section before tensor '${t.name}' belong to no tensor`);
    at = t.end;
    prev = t;
  }
  if (at < dataLength)
    fail(`${dataLength - at} trailing bytes after the last tensor are not covered by any tensor`);
}

/** Decodes safetensors bytes into tensors (on `backend`) and metadata, checking every rule of the format. */
export function decodeSafetensors(bytes: Uint8Array, opts: DecodeOptions = {}): SafetensorsContents {
  assertLittleEndianHost();
  const file = opts.name ?? '<memory>';
  const fail = (problem: string): never => {
    throw new SafetensorsError(file, problem);
  };
  const { entries, metadata, dataStart } = parseHeader(bytes, fail);
  checkTiling(entries, bytes.length - dataStart, fail);
  const backend = opts.backend ?? getDefaultBackend();
  const tensors = new Map<string, Tensor>();
  for (const e of entries) {
    const data = arrayFor(e.dtype, sizeOf(e.shape));
    // copy the bytes: the data section need not be aligned for a typed-array view
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    tensors.set(e.name, new Tensor(backend.upload(data, true), e.shape, backend));
  }
  return { tensors, metadata };
}
