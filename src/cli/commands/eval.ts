/** `sr2l eval RUN_DIR...`: robustness of a trained policy under observation attacks (paper §5, Fig. 4). */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultMaxEpisodeSteps } from '../../envs/index.js';
import { readRunIdentity, readTrainingHorizon } from '../../experiments/run-files.js';
import { checkpointsOnDisk, latestCheckpoint } from '../../rl/run/checkpoint.js';
import { checkpointName } from '../../rl/run/checkpoint-layout.js';
import {
  ATTACKS,
  EPS_SCALES,
  NO_CRITIC,
  OPTIMAL_ATTACK_DEFAULTS,
  ROBUST_SARSA_DEFAULTS,
  type AttackName,
  type EpsScale,
  checkAttackName,
  evaluateRobustness,
  loadAgent,
  noCheckpointOf,
  writeRobustness,
} from '../../rl/robustness/index.js';
import { ASCENT_RULES, type AscentRule } from '../../rl/smoothness/index.js';
import { version } from '../../version.js';
import { UsageError, choice, type Command } from '../command.js';
import { numberList } from '../number-list.js';

function positive(flag: string, text: string, integer: boolean): number {
  const x = Number(text);
  if (!(Number.isFinite(x) && x > 0 && (!integer || Number.isInteger(x))))
    throw new UsageError(`--${flag} must be a ${integer ? 'positive integer' : 'number > 0'}, got '${text}'`);
  return x;
}

export const evalCommand: Command = {
  summary: 'evaluate a trained policy under random and adversarial observation perturbations',
  usage: `sr2l eval RUN_DIR... [options]

  --attack LIST          attacks, comma-separated: ${ATTACKS.join(', ')} (default random,mad; the clean
                         evaluation 'none' is always included)
  --eps LIST             perturbation radii of the ℓ∞ ball (default 0,0.02,0.05,0.1)
  --eps-scale S          raw (ε in observation units, default) or obs-std (ε times each dimension's
                         std over the clean rollouts, the SA-MDP convention)
  --episodes N           episodes per (attack, ε) (default 50)
  --max-episode-steps H  episode length: run (default: the length the run trained with, its
                         config's maxEpisodeSteps, e.g. 100 under --preset garage-benchmark),
                         env (the env's own limit, 1000 for the locomotion tasks) or a number
  --stochastic           sample actions from the Gaussian policy (the paper's rollouts); default μ(s)
  --seed N               evaluation seed (default: the run's seed)
  --iteration N          evaluate checkpoint N (a checkpoints/iter-N folder sr2l train kept;
                         default the newest); results go to eval/iter-N/ unless --out says
  --pgd-steps N          ascent steps of mad/critic (default 10)
  --pgd-step F           step size as a fraction of ε (default 0.2, the paper; SA-MDP uses 0.1)
  --pgd-ascent R         ${ASCENT_RULES.join(' | ')} (default sign)
  --smoothness-states N  clean states the Lipschitz metric averages over (default 256; 0 skips it)
  --sarsa-episodes N     sarsa: victim episodes the Robust Sarsa Q learns from (default ${ROBUST_SARSA_DEFAULTS.episodes})
  --sarsa-steps N        sarsa: its TD gradient steps (default ${ROBUST_SARSA_DEFAULTS.gradientSteps})
  --sarsa-reg F          sarsa: weight of its robustness term (default ${ROBUST_SARSA_DEFAULTS.robustWeight})
  --optimal-iterations N optimal: TRPO iterations of the adversary, one per ε (default ${OPTIMAL_ATTACK_DEFAULTS.iterations})
  --optimal-batch N      optimal: adversary steps per iteration (default ${OPTIMAL_ATTACK_DEFAULTS.batchSize})
  --out DIR              output folder (default RUN_DIR/eval)

Writes robustness.csv, smoothness.csv and robustness.json into each RUN_DIR/eval (one run after
the other; run several sr2l eval processes for parallelism).`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        attack: { type: 'string', default: 'random,mad' },
        eps: { type: 'string', default: '0,0.02,0.05,0.1' },
        'eps-scale': { type: 'string', default: 'raw' },
        episodes: { type: 'string', default: '50' },
        'max-episode-steps': { type: 'string', default: 'run' },
        stochastic: { type: 'boolean', default: false },
        seed: { type: 'string' },
        iteration: { type: 'string' },
        'pgd-steps': { type: 'string', default: '10' },
        'pgd-step': { type: 'string', default: '0.2' },
        'pgd-ascent': { type: 'string', default: 'sign' },
        'smoothness-states': { type: 'string', default: '256' },
        'sarsa-episodes': { type: 'string', default: String(ROBUST_SARSA_DEFAULTS.episodes) },
        'sarsa-steps': { type: 'string', default: String(ROBUST_SARSA_DEFAULTS.gradientSteps) },
        'sarsa-reg': { type: 'string', default: String(ROBUST_SARSA_DEFAULTS.robustWeight) },
        'optimal-iterations': { type: 'string', default: String(OPTIMAL_ATTACK_DEFAULTS.iterations) },
        'optimal-batch': { type: 'string', default: String(OPTIMAL_ATTACK_DEFAULTS.batchSize) },
        out: { type: 'string' },
      },
    });
    if (positionals.length === 0) throw new UsageError('expected at least one run folder');
    if (values.out !== undefined && positionals.length > 1)
      throw new UsageError('--out takes one run folder; without it each run writes RUN_DIR/eval');
    let attacks: AttackName[];
    try {
      attacks = ['none', ...values.attack.split(',').map((a) => checkAttackName(a.trim()))];
    } catch (e) {
      throw new UsageError(`--attack: ${(e as Error).message}`);
    }
    const epsScale: EpsScale = choice('eps-scale', values['eps-scale'], EPS_SCALES);
    const ascent: AscentRule = choice('pgd-ascent', values['pgd-ascent'], ASCENT_RULES);
    const steps = Number(values['pgd-steps']);
    if (!(Number.isInteger(steps) && steps >= 0))
      throw new UsageError(`--pgd-steps must be an integer ≥ 0, got '${values['pgd-steps']}'`);
    const smoothnessStates = Number(values['smoothness-states']);
    if (!(Number.isInteger(smoothnessStates) && smoothnessStates >= 0))
      throw new UsageError(
        `--smoothness-states must be an integer ≥ 0, got '${values['smoothness-states']}'`,
      );

    const eps = numberList('eps', values.eps);
    const episodes = positive('episodes', values.episodes, true);
    const stepFraction = positive('pgd-step', values['pgd-step'], false);
    const sarsa = {
      episodes: positive('sarsa-episodes', values['sarsa-episodes'], true),
      gradientSteps: positive('sarsa-steps', values['sarsa-steps'], true),
      robustWeight: numberList('sarsa-reg', values['sarsa-reg'])[0]!,
    };
    const optimal = {
      iterations: positive('optimal-iterations', values['optimal-iterations'], true),
      batchSize: positive('optimal-batch', values['optimal-batch'], true),
    };
    const horizon = values['max-episode-steps'];
    if (horizon !== 'run' && horizon !== 'env' && !(/^\d+$/.test(horizon) && Number(horizon) > 0))
      throw new UsageError(`--max-episode-steps must be run, env or a positive integer, got '${horizon}'`);
    const iteration = values.iteration === undefined ? undefined : Number(values.iteration);
    if (iteration !== undefined && !(Number.isInteger(iteration) && iteration >= 0))
      throw new UsageError(`--iteration must be an integer ≥ 0, got '${values.iteration}'`);
    for (const runDir of positionals) {
      const run = await readRunIdentity(runDir);
      if (iteration !== undefined) {
        const onDisk = await checkpointsOnDisk(runDir);
        if (!onDisk.includes(iteration))
          throw new UsageError(`--iteration: ${noCheckpointOf(runDir, iteration, onDisk)}`);
      }
      const agent = await loadAgent(runDir, run.algo, iteration);
      if (attacks.includes('critic') && !agent.critic) throw new UsageError(`--attack: ${NO_CRITIC}`);
      if (values.stochastic && !agent.policy.logStd)
        throw new UsageError(`--stochastic needs a Gaussian policy; ${run.algo} acts deterministically`);
      const seed = values.seed === undefined ? run.seed : Number(values.seed);
      if (!(Number.isInteger(seed) && seed >= 0))
        throw new UsageError(`--seed must be an integer ≥ 0, got '${values.seed}'`);
      // a policy trained on 100-step episodes is judged on 100-step episodes unless asked otherwise
      const maxEpisodeSteps =
        (horizon === 'run'
          ? await readTrainingHorizon(runDir)
          : horizon === 'env'
            ? null
            : Number(horizon)) ?? defaultMaxEpisodeSteps(run.env);
      const t0 = performance.now();
      const result = await evaluateRobustness({
        envId: run.env,
        envOptions: { maxEpisodeSteps },
        agent,
        attacks: [...new Set(attacks)],
        eps,
        episodes,
        stochastic: values.stochastic,
        epsScale,
        seed,
        pgd: { steps, stepFraction, ascent },
        smoothnessStates,
        sarsa,
        optimal,
        onProgress: (m) => console.error(`[eval ${run.env} ${run.algo}] ${m}`),
      });
      // a chosen older checkpoint's results go beside the newest's, not over them
      const out =
        values.out ?? join(runDir, 'eval', ...(iteration === undefined ? [] : [checkpointName(iteration)]));
      const files = await writeRobustness(out, result, {
        run: runDir,
        algo: run.algo,
        checkpoint: iteration ?? (await latestCheckpoint(runDir)),
        maxEpisodeSteps,
        sr2l: version,
        command: `sr2l eval ${argv.join(' ')}`,
        finishedAt: new Date().toISOString(),
      });
      console.log(
        `ε in ${epsScale === 'raw' ? 'raw observation units' : 'units of the clean-rollout observation std'}; episodes of at most ${maxEpisodeSteps} steps`,
      );
      console.log(
        'attack   eps       mean ± std            median      min        max     ‖δ‖∞ mean  wall s',
      );
      for (const r of result.rows)
        console.log(
          `${r.attack.padEnd(8)} ${String(r.eps).padEnd(8)} ${r.mean.toFixed(1).padStart(9)} ± ${r.std.toFixed(1).padEnd(9)} ${r.median.toFixed(1).padStart(9)} ${r.min.toFixed(1).padStart(9)} ${r.max.toFixed(1).padStart(9)} ${r.deltaLinfMean.toFixed(4).padStart(9)} ${r.wallSeconds.toFixed(1).padStart(7)}`,
        );
      for (const s of result.smoothness)
        console.log(
          `smoothness ε=${s.eps}: Lipschitz ratio mean ${s.lipschitzMean.toFixed(3)}, p95 ${s.lipschitzP95.toFixed(3)}`,
        );
      console.log(
        `wrote ${files.csv}, ${files.smoothnessCsv}, ${files.json} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
    return 0;
  },
};
