/**
 * Profile mode (`SR2L_PROFILE=1`): every kernel call on the instrumented backend is
 * timed and attributed to its call site — the autograd op that issued it and the first
 * frame of user code (backward-pass kernels are marked as such) — and a table of time
 * per kernel per call site is printed to stderr when the process exits. Capturing a
 * stack per call costs microseconds, so this is for finding where time goes, not for
 * benchmarking. On a synchronous backend the times are the kernels' own.
 */
import type { Backend } from './backend.js';

export interface ProfileRow {
  kernel: string;
  site: string;
  calls: number;
  totalMs: number;
}

/** Every Backend method that runs a kernel (what profiling times and compiled steps trace). */
export const KERNELS = [
  'upload',
  'fill',
  'unary',
  'binary',
  'compare',
  'where',
  'cast',
  'reduce',
  'matmul',
  'linear',
  'stackedLinear',
  'activationGrad',
  'strided',
  'scatterStrided',
  'concat',
  'gather',
  'scatterAdd',
  'adamUpdate',
  'axpy',
  'assign',
] as const;

const rows = new Map<string, ProfileRow>();

// The library's own frames, wherever it runs from (src/ under tsx, dist/ when built).
const LIB = new URL('..', import.meta.url).pathname; // .../src/ or .../dist/
const KERNELS_DIR = `${LIB}kernels/`;
const AUTOGRAD_DIR = `${LIB}autograd/`;
const OP_FRAME = new RegExp(`at (?:Object\\.)?(\\w+) .*${escape(AUTOGRAD_DIR)}ops/`);

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `ops ← file:line` from the current stack: the autograd ops that led to the kernel,
 * innermost first (`div < mean`; the generic helper named like the kernel is left out),
 * and the first frame outside the library; backward-pass calls are marked.
 */
export function callSite(kernel: string): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const ops: string[] = [];
  let user = '';
  let backward = false;
  for (const line of stack.split('\n').slice(1)) {
    if (line.includes(KERNELS_DIR)) continue;
    if (line.includes(`${AUTOGRAD_DIR}engine.`)) backward = true;
    const opFrame = OP_FRAME.exec(line);
    if (opFrame && !user) {
      const name = opFrame[1]!;
      if (name !== kernel && name !== 'backward' && ops[ops.length - 1] !== name && ops.length < 3)
        ops.push(name);
    }
    if (!line.includes(AUTOGRAD_DIR) && !line.includes('node:') && !user) {
      const m = /\(?([^\s()]+):(\d+):\d+\)?$/.exec(line.trim());
      if (m) user = `${m[1]!.replace(/^.*\/(?=[^/]+\/[^/]+$)/, '')}:${m[2]}`;
    }
  }
  return `${ops.join(' < ') || kernel}${backward ? ' (backward)' : ''} ← ${user || '?'}`;
}

// set while a compiled program replays: its kernels are attributed to their plan step
let siteOverride: string | null = null;

/** Attributes the kernel calls that follow to `site` (null: back to their call stacks). */
export function attributeTo(site: string | null): void {
  siteOverride = site;
}

/** Whether SR2L_PROFILE=1 is set (kernel calls are being timed). */
export function profilingFromEnv(): boolean {
  return globalThis.process?.env?.SR2L_PROFILE === '1';
}

/** Adds one timed call to the table (kernels that run outside a backend, like fused loops, too). */
export function recordKernelTime(kernel: string, site: string, ms: number): void {
  const key = `${kernel}\u0000${site}`;
  let row = rows.get(key);
  if (!row) rows.set(key, (row = { kernel, site, calls: 0, totalMs: 0 }));
  row.calls++;
  row.totalMs += ms;
}

/** Wraps the backend's kernel methods in place with timing; returns it. */
export function instrument<B extends Backend>(backend: B): B {
  const target = backend as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of KERNELS) {
    const fn = target[name]!.bind(backend);
    target[name] = (...args: unknown[]) => {
      const site = siteOverride ?? callSite(name);
      const t0 = performance.now();
      const r = fn(...args);
      recordKernelTime(name, site, performance.now() - t0);
      return r;
    };
  }
  return backend;
}

let exitHook = false;

/** Instruments the backend when SR2L_PROFILE=1 and prints the table at exit. */
export function instrumentFromEnv<B extends Backend>(backend: B): B {
  if (!profilingFromEnv()) return backend;
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => process.stderr.write(formatProfile()));
  }
  return instrument(backend);
}

/** Rows so far, most total time first. */
export function profileRows(): ProfileRow[] {
  return [...rows.values()].sort((a, b) => b.totalMs - a.totalMs);
}

export function resetProfile(): void {
  rows.clear();
}

export function formatProfile(): string {
  const list = profileRows();
  const total = list.reduce((s, r) => s + r.totalMs, 0);
  const lines = [
    `sr2l profile: ${total.toFixed(1)} ms in kernels`,
    '| kernel | call site | calls | total ms | µs/call | share |',
    '|---|---|---:|---:|---:|---:|',
    ...list.map(
      (r) =>
        `| ${r.kernel} | ${r.site} | ${r.calls} | ${r.totalMs.toFixed(2)} | ${((r.totalMs * 1000) / r.calls).toFixed(1)} | ${((100 * r.totalMs) / total).toFixed(1)}% |`,
    ),
  ];
  return lines.join('\n') + '\n';
}
