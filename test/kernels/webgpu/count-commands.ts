/**
 * Shared by the WebGPU compile tests: counts the bind groups a device creates and the
 * command buffers its queue takes while `f` runs, by wrapping the two methods (after a
 * sync, so work recorded earlier is not counted).
 */
import type { WebGPUBackend } from '../../../src/kernels/webgpu/index.js';

export interface Counted<T> {
  value: T;
  bindGroups: number;
  submits: number;
}

export async function countCommands<T>(backend: WebGPUBackend, f: () => T): Promise<Counted<T>> {
  await backend.sync();
  const device = backend.device;
  const queue = device.queue;
  const createBindGroup = device.createBindGroup.bind(device);
  const submit = queue.submit.bind(queue);
  let bindGroups = 0;
  let submits = 0;
  device.createBindGroup = (d: GPUBindGroupDescriptor) => (bindGroups++, createBindGroup(d));
  queue.submit = (b: Iterable<GPUCommandBuffer>) => (submits++, submit(b));
  try {
    return { value: f(), bindGroups, submits };
  } finally {
    // the own properties go, the prototype's methods show through again
    delete (device as { createBindGroup?: unknown }).createBindGroup;
    delete (queue as { submit?: unknown }).submit;
  }
}
