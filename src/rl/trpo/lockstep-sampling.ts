/**
 * The members of a TRPO population sample in lockstep: each member's sampler runs its own
 * code (its env, its random streams, its episode bookkeeping) and asks its policy for μ(s)
 * one step at a time; this barrier holds each request until every member still sampling
 * has asked, then answers all of them with one forward pass of the stacked policy (a
 * compiled program, StackedGaussianMlpPolicy.meanAtRows). Member
 * k's answer is slice k, which the stacked kernels compute exactly as member k's own
 * policy would, so each sampler sees its single run's numbers.
 *
 * With the members' environments in an `EnvGroup` (worker threads), their resets and steps
 * wait too: once every member still sampling waits for μ(s) or for its environment, the
 * stacked forward and one round of every queued environment call run (a member's calls
 * keep their order, so each environment sees its single run's calls).
 */
import * as sr from '../../autograd/index.js';
import type { EnvGroup } from '../../envs/core/env-group.js';
import type { SamplingPolicy } from './sampler.js';
import type { StackedGaussianMlpPolicy } from './stacked-gaussian-policy.js';

const NONE: ReadonlySet<number> = new Set();

interface Request {
  obs: Float64Array;
  out: Float64Array;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class LockstepSampling {
  private readonly pending = new Map<number, Request>();
  /** members inside `run` whose sampling has not finished */
  private readonly sampling = new Set<number>();
  private firing = false;

  constructor(
    private readonly policy: StackedGaussianMlpPolicy,
    /** the members' environments when they step together (member k owns environment k) */
    private readonly envs: EnvGroup | null = null,
  ) {
    if (envs) envs.onRequest = () => this.fireWhenReady();
  }

  /** Runs `sample(k, view)` for every member k at once; member k's outcome at k (a failure stays its own). */
  async run<T>(
    members: readonly number[],
    sample: (k: number, policy: SamplingPolicy) => Promise<T>,
  ): Promise<PromiseSettledResult<T>[]> {
    for (const k of members) this.sampling.add(k);
    return Promise.allSettled(
      members.map(async (k) => {
        try {
          return await sample(k, this.view(k));
        } finally {
          // a member that is done (or failed) no longer holds the others back
          this.sampling.delete(k);
          this.fireWhenReady();
        }
      }),
    );
  }

  /** Member k's policy as its sampler sees it. */
  private view(k: number): SamplingPolicy {
    return {
      std: async () => {
        const logStd = sr.noGrad(() => this.policy.logStd.slice([k], [k + 1]));
        return Float64Array.from(await logStd.data(), Math.exp);
      },
      meanAt: (obs, out) =>
        new Promise<void>((resolve, reject) => {
          this.pending.set(k, { obs, out, resolve, reject });
          this.fireWhenReady();
        }),
    };
  }

  private fireWhenReady(): void {
    const stepping = this.envs?.pending ?? NONE;
    if (this.firing || (this.pending.size === 0 && stepping.size === 0)) return;
    for (const k of this.sampling) if (!this.pending.has(k) && !stepping.has(k)) return;
    const batch = new Map(this.pending);
    this.pending.clear();
    this.firing = true;
    const answered =
      batch.size === 0
        ? null
        : this.forward(batch).then(
            () => batch.forEach((r) => r.resolve()),
            (e: unknown) => batch.forEach((r) => r.reject(e)),
          );
    // the environments step on their threads while this one runs the forward pass
    void Promise.all([answered, stepping.size > 0 ? this.envs!.flush() : null]).finally(() => {
      this.firing = false;
      this.fireWhenReady();
    });
  }

  /** One stacked forward pass for every waiting member (the others' rows are zeros, unused). */
  private async forward(batch: Map<number, Request>): Promise<void> {
    const { population: s, obsDim, actDim } = this.policy;
    const data = new Float64Array(s * obsDim);
    for (const [k, r] of batch) data.set(r.obs, k * obsDim);
    const m = await this.policy.meanAtRows(data);
    for (const [k, r] of batch) for (let i = 0; i < actDim; i++) r.out[i] = m[k * actDim + i]!;
  }
}
