/**
 * The same workloads in TensorFlow.js (the backend is chosen by the caller): variables,
 * matMul + add + tanh per layer, tf.variableGrads / tf.grad, everything inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fillDeterministic, LAYERS, PGD, weightScale } from './sizes.js';

function params(): tf.Variable[] {
  const ps: tf.Variable[] = [];
  for (let l = 0; l + 1 < LAYERS.length; l++) {
    const i = LAYERS[l]!;
    const o = LAYERS[l + 1]!;
    ps.push(tf.variable(tf.tensor2d(fillDeterministic(i * o, 11 + l, weightScale(i, o)), [i, o])));
    ps.push(tf.variable(tf.tensor1d(fillDeterministic(o, 101 + l, 0.1))));
  }
  return ps;
}

function forward(ps: readonly tf.Tensor[], x: tf.Tensor): tf.Tensor2D {
  let h = x as tf.Tensor2D;
  const last = ps.length / 2 - 1;
  for (let l = 0; l <= last; l++) {
    const z = tf.add(tf.matMul(h, ps[2 * l] as tf.Tensor2D), ps[2 * l + 1]!) as tf.Tensor2D;
    h = l < last ? tf.tanh(z) : z;
  }
  return h;
}

function input(batch: number, seed: number): tf.Tensor2D {
  return tf.tensor2d(fillDeterministic(batch * LAYERS[0], seed, 1), [batch, LAYERS[0]]);
}

export function trainStep(batch: number): () => void {
  const ps = params();
  const x = input(batch, 7);
  return () => {
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(forward(ps, x))) as tf.Scalar, ps);
    value.dispose();
    tf.dispose(grads);
  };
}

export function tinyOp(): () => void {
  const a = tf.tensor1d([1]);
  const b = tf.tensor1d([2]);
  return () => {
    tf.add(a, b).dispose();
  };
}

export function pgd(): () => void {
  const ps = params();
  const x = input(PGD.batch, 9);
  const y0 = forward(ps, x);
  const gradDelta = tf.grad((d: tf.Tensor) => tf.mean(tf.square(tf.sub(forward(ps, tf.add(x, d)), y0))));
  return () => {
    const d = tf.tidy(() => {
      let d: tf.Tensor = tf.zeros([PGD.batch, LAYERS[0]]);
      for (let s = 0; s < PGD.steps; s++) {
        const g = gradDelta(d);
        d = tf.clipByValue(tf.add(d, tf.mul(tf.sign(g), PGD.alpha)), -PGD.eps, PGD.eps);
      }
      return d;
    });
    d.dispose();
  };
}
