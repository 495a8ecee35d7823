/** Compiled steps: trace a function once, replay its planned program (see compile.ts). */
export { compile, compileEnabled, type CompileOptions, type CompiledFunction } from './compile.js';
export { CompileError } from './trace.js';
export { isTracing, onReplay, untraced } from './hooks.js';
