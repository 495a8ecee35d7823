/** The backend new tensors land on when none is named. */
import type { Backend } from '../kernels/backend.js';
import { cpuBackend } from '../kernels/cpu/index.js';

let current: Backend = cpuBackend;

export function getDefaultBackend(): Backend {
  return current;
}

export function setDefaultBackend(backend: Backend): void {
  current = backend;
}
