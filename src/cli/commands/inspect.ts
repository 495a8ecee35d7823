/** `sr2l inspect`: the policy-loss graph of a checkpoint, with shapes and gradient norms. */
import { parseArgs } from 'node:util';
import { inspectLoss } from '../../rl/trpo/inspect.js';
import { latestCheckpoint } from '../../rl/run/checkpoint.js';
import { UsageError, type Command } from '../command.js';

export const inspect: Command = {
  summary: 'print the policy-loss graph of a training checkpoint (shapes, gradient norms; --dot)',
  usage:
    'sr2l inspect runs/NAME [--iteration K] [--dot]\n\n' +
    'Rebuilds the TRPO(-SR) loss of checkpoint K (default: the latest) from its saved batch and\n' +
    'parameters, runs backward, and prints one line per tensor (op, name, shape, ‖grad‖);\n' +
    '--dot prints Graphviz DOT instead (sr2l inspect runs/NAME --dot | dot -Tsvg > loss.svg).',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { iteration: { type: 'string' }, dot: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError(`expected one run folder, got ${positionals.length}`);
    const dir = positionals[0]!;
    let iteration: number;
    if (values.iteration !== undefined) {
      iteration = Number(values.iteration);
      if (!Number.isInteger(iteration) || iteration < 1)
        throw new UsageError(
          `--iteration = ${JSON.stringify(values.iteration)} is invalid; allowed: a checkpointed iteration (integer ≥ 1)`,
        );
    } else {
      const latest = await latestCheckpoint(dir);
      if (latest === null) throw new UsageError(`${dir} has no checkpoint`);
      iteration = latest;
    }
    let r;
    try {
      r = await inspectLoss(dir, iteration);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (values.dot) {
      console.log(r.dot);
      return 0;
    }
    console.log(`policy loss of ${dir} at iteration ${iteration}: ${r.loss.item()}`);
    console.log('tensors (topological order): id  op  name  shape  dtype  ‖grad‖');
    for (const n of r.graph.nodes) {
      const grad = n.gradNorm !== undefined ? n.gradNorm.toPrecision(4) : '-';
      console.log(`  #${n.id}  ${n.op}  ${n.name ?? ''}  [${n.shape.join(', ')}]  ${n.dtype}  ${grad}`);
    }
    console.log('parameter gradient norms:');
    for (const [name, g] of Object.entries(r.paramGradNorms)) console.log(`  ${name}  ${g.toPrecision(4)}`);
    return 0;
  },
};
