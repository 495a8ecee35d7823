/**
 * The same update in TensorFlow.js: the same layer sizes, losses, order (critic, actor,
 * targets), Adam, Polyak averaging, and for the SR variants the same 10-step sign PGD
 * with a random start; gradients only w.r.t. the variables each step updates.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fillDeterministic, weightScale } from '../mlp/sizes.js';
import { ACT, BATCH, HIDDEN, HYPER, OBS, batchData, type BenchAlgo } from './setup.js';

type Vars = tf.Variable[];

function mlpVars(sizes: readonly number[], seed: number): Vars {
  const vs: Vars = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [i, o] = [sizes[l]!, sizes[l + 1]!];
    vs.push(tf.variable(tf.tensor2d(fillDeterministic(i * o, seed + l, weightScale(i, o)), [i, o])));
    vs.push(tf.variable(tf.zeros([o])));
  }
  return vs;
}

function copyVars(vs: Vars): Vars {
  return vs.map((v) => tf.variable(v.clone()));
}

function actorFwd(v: readonly tf.Tensor[], s: tf.Tensor): tf.Tensor {
  let h = tf.relu(tf.add(tf.matMul(s as tf.Tensor2D, v[0] as tf.Tensor2D), v[1]!));
  h = tf.relu(tf.add(tf.matMul(h as tf.Tensor2D, v[2] as tf.Tensor2D), v[3]!));
  return tf.tanh(tf.add(tf.matMul(h as tf.Tensor2D, v[4] as tf.Tensor2D), v[5]!));
}

function criticFwd(v: readonly tf.Tensor[], s: tf.Tensor, a: tf.Tensor): tf.Tensor {
  let h = tf.relu(tf.add(tf.matMul(s as tf.Tensor2D, v[0] as tf.Tensor2D), v[1]!));
  h = tf.relu(tf.add(tf.matMul(tf.concat([h, a], 1) as tf.Tensor2D, v[2] as tf.Tensor2D), v[3]!));
  return tf.reshape(tf.add(tf.matMul(h as tf.Tensor2D, v[4] as tf.Tensor2D), v[5]!), [-1]);
}

/** δ maximizing Σ_i D_i(s_i + δ_i) over ‖δ‖∞ ≤ ε: sign ascent from a uniform start. */
function pgd(s: tf.Tensor, divergence: (perturbed: tf.Tensor) => tf.Tensor): tf.Tensor {
  const { eps, steps } = HYPER;
  const gradOf = tf.grad((d: tf.Tensor) => tf.sum(divergence(tf.add(s, d))));
  let d: tf.Tensor = tf.randomUniform(s.shape, -eps, eps);
  for (let k = 0; k < steps; k++)
    d = tf.clipByValue(tf.add(d, tf.mul(tf.sign(gradOf(d)), 0.2 * eps)), -eps, eps);
  return d;
}

export function update(algo: BenchAlgo): () => void {
  const actor = mlpVars([OBS, ...HIDDEN, ACT], 11);
  const critic = [...mlpVars([OBS, HIDDEN[0]], 21), ...mlpVars([HIDDEN[0] + ACT, HIDDEN[1], 1], 31)];
  const targetActor = copyVars(actor);
  const targetCritic = copyVars(critic);
  const actorOpt = tf.train.adam(HYPER.actorLr);
  const criticOpt = tf.train.adam(HYPER.criticLr);
  const d = batchData();
  const { gamma, tau, lambda } = HYPER;
  return () => {
    tf.tidy(() => {
      const s = tf.tensor2d(d.obs, [BATCH, OBS]);
      const a = tf.tensor2d(d.action, [BATCH, ACT]);
      const r = tf.tensor1d(d.reward);
      const s2 = tf.tensor2d(d.nextObs, [BATCH, OBS]);
      const done = tf.tensor1d(d.terminal);
      const y = tf.add(
        r,
        tf.mul(tf.mul(tf.sub(1, done), gamma), criticFwd(targetCritic, s2, actorFwd(targetActor, s2))),
      );
      let sTilde: tf.Tensor | null = null;
      let qClean: tf.Tensor | null = null;
      if (algo === 'ddpg-sr-c') {
        qClean = criticFwd(critic, s, a);
        const c = qClean;
        sTilde = tf.add(
          s,
          pgd(s, (p) => tf.square(tf.sub(c, criticFwd(critic, p, a)))),
        );
      }
      criticOpt.minimize(
        () => {
          const q = criticFwd(critic, s, a);
          let loss = tf.mean(tf.square(tf.sub(q, y)));
          if (sTilde)
            loss = tf.add(
              loss,
              tf.mul(tf.mean(tf.square(tf.sub(qClean!, criticFwd(critic, sTilde, a)))), lambda),
            );
          return loss as tf.Scalar;
        },
        false,
        critic,
      );
      let aTilde: tf.Tensor | null = null;
      if (algo === 'ddpg-sr-a') {
        const mu = actorFwd(actor, s);
        aTilde = tf.add(
          s,
          pgd(s, (p) => tf.sum(tf.square(tf.sub(mu, actorFwd(actor, p))), 1)),
        );
      }
      actorOpt.minimize(
        () => {
          const mu = actorFwd(actor, s);
          let loss = tf.neg(tf.mean(criticFwd(critic, s, mu)));
          if (aTilde)
            loss = tf.add(
              loss,
              tf.mul(tf.mean(tf.sum(tf.square(tf.sub(mu, actorFwd(actor, aTilde))), 1)), lambda),
            );
          return loss as tf.Scalar;
        },
        false,
        actor,
      );
      for (const [t, p] of [
        [targetCritic, critic],
        [targetActor, actor],
      ] as const)
        t.forEach((tv, i) => tv.assign(tf.add(tf.mul(tv, 1 - tau), tf.mul(p[i]!, tau))));
    });
  };
}
