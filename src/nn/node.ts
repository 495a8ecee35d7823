/** The neural-network layer with its file I/O (Node only): index.ts plus safetensors files and checkpoints. */
export * from './index.js';
export { saveSafetensors, loadSafetensors } from './safetensors-file.js';
export { saveModule, loadModule, saveOptimizer, loadOptimizer } from './checkpoint.js';
export { writeFileAtomic } from '../util/atomic-write.js';
