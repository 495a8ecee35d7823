/**
 * Copies between tensors that work on any backend (no readback on the device): snapshots
 * for state dicts, and in-place loads that keep parameter Tensor objects the same.
 */
import { Tensor } from '../autograd/tensor.js';

/** A detached copy of t's values on t's backend. */
export function cloneTensor(t: Tensor): Tensor {
  t.assertAlive('clone');
  const storage = t.backend.fill(t.dtype, t.size, 0);
  t.backend.assign(storage, t.storage);
  return new Tensor(storage, t.shape.slice(), t.backend);
}

/**
 * Writes src's values into dst's storage in place (same size and dtype, checked by the
 * caller). A src on another backend is brought over through the host, which needs a
 * synchronous src backend.
 */
export function copyInto(dst: Tensor, src: Tensor): void {
  src.assertAlive('copy');
  dst.assertAlive('copy');
  if (src.backend === dst.backend) {
    dst.backend.assign(dst.storage, src.storage);
    return;
  }
  const moved = dst.backend.upload(src.dataSync(), true);
  dst.backend.assign(dst.storage, moved);
  dst.backend.dispose(moved);
}
