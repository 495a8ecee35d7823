/**
 * StackedMLP: S MLPs of the same sizes as one module, each layer a StackedLinear. Its
 * parameter names are an MLP's (`layers.0.weight`, now [S, in, out]), so member k's state
 * dict (population.ts) loads into an MLP unchanged. `StackedMLP.seeded(sizes, opts, rngs)`
 * initializes member k exactly as `new MLP(sizes, { ...opts, rng: rngs[k] })`.
 */
import type { Tensor } from '../autograd/tensor.js';
import type { RngLike } from './init.js';
import { MLP, type MLPOptions } from './mlp.js';
import { Module, ModuleList } from './module.js';
import { StackedLinear } from './stacked-linear.js';

export class StackedMLP extends Module {
  readonly population: number;
  readonly sizes: readonly number[];
  readonly layers: ModuleList<StackedLinear>;

  /** Stacks the members' current values (copied; the members stay independent). */
  constructor(members: readonly MLP[]) {
    super();
    if (members.length === 0) throw new RangeError('StackedMLP: needs at least one member MLP');
    const sizes = members[0]!.sizes;
    members.forEach((m, k) => {
      if (m.sizes.join() !== sizes.join())
        throw new RangeError(
          `StackedMLP: member ${k} has sizes [${m.sizes.join(', ')}], member 0 [${sizes.join(', ')}]`,
        );
    });
    this.population = members.length;
    this.sizes = sizes.slice();
    const layers = sizes.slice(1).map((_, i) => new StackedLinear(members.map((m) => m.layers.at(i))));
    this.layers = this.registerModule('layers', new ModuleList(layers));
  }

  /** Member k initialized as `new MLP(sizes, { ...opts, rng: rngs[k] })`, for every k. */
  static seeded(
    sizes: readonly number[],
    opts: Omit<MLPOptions, 'rng'>,
    rngs: readonly RngLike[],
  ): StackedMLP {
    if (rngs.length === 0)
      throw new RangeError('StackedMLP.seeded: needs one generator per member, got none');
    const members = rngs.map((rng) => new MLP(sizes, { ...opts, rng }));
    const stacked = new StackedMLP(members);
    for (const m of members) for (const p of m.parameters()) p.dispose();
    return stacked;
  }

  /** x [S, ..., sizes[0]] → [S, ..., sizes[last]] */
  forward(x: Tensor): Tensor {
    for (const layer of this.layers) x = layer.forward(x);
    return x;
  }
}
