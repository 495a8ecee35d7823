/**
 * Polyak (soft) target update, in place: p' ← p' + τ(p − p'), i.e. τ·p + (1 − τ)·p'.
 * One subtraction and one in-place `axpy` per parameter; nothing is read back, so it
 * stays on the device, and target parameter Tensor objects keep their identity.
 */
import { noGrad } from '../../autograd/grad-mode.js';
import type { Tensor } from '../../autograd/tensor.js';
import { fmtShape } from '../../kernels/shape.js';
import { checkNumber } from '../../nn/checks.js';
import type { Module } from '../../nn/module.js';

/** Moves every target parameter a fraction tau toward its source (matched by name); τ = 1 copies exactly. */
export function polyakUpdate(target: Module, source: Module, tau: number): void {
  checkNumber('polyakUpdate', 'tau', tau, { min: 0, max: 1 });
  const src = source.namedParameters();
  const dst = target.namedParameters();
  // τ = 1 is a copy; p′ + (p − p′) could differ from p in the last bit
  if (tau === 1) return hardUpdate(target, source);
  if (src.size !== dst.size)
    throw new RangeError(`polyakUpdate: the target has ${dst.size} parameters, the source ${src.size}`);
  noGrad(() => {
    for (const [name, pt] of dst) {
      const p = src.get(name);
      if (!p || p.dtype !== pt.dtype || p.size !== pt.size)
        throw new RangeError(
          `polyakUpdate: '${name}' is ${pt.dtype} ${fmtShape(pt.shape)} in the target, ${p ? `${p.dtype} ${fmtShape(p.shape)}` : 'missing'} in the source`,
        );
      const diff: Tensor = p.sub(pt);
      pt.backend.axpy(pt.storage, diff.storage, tau);
      diff.dispose();
    }
  });
}

/** Copies every parameter of `source` into `target` (p' ← p), e.g. when targets are created. */
export function hardUpdate(target: Module, source: Module): void {
  target.loadStateDict(source.namedParameters());
}
