/** Robustness evaluation of trained policies under observation attacks (issue 8; paper §5). */
export type { Critic, EvalAgent, EvalPolicy } from './policy.js';
export {
  ATTACKS,
  type AttackName,
  type AttackSetup,
  NO_CRITIC,
  PAPER_PGD,
  type PgdSettings,
  type Perturbation,
  checkAttackName,
  checkPgdSettings,
  perturb,
} from './attacks.js';
export {
  actionChange,
  criticObjective,
  inScaledBall,
  lipschitzRatio,
  policyDivergence,
} from './objectives.js';
export { type EpisodeBatchOptions, type EpisodeBatchResult, runEpisodes } from './rollout.js';
export {
  EPS_SCALES,
  type EpsScale,
  type RobustnessOptions,
  type RobustnessResult,
  type RobustnessRow,
  type SmoothnessRow,
  checkEpsList,
  evaluateRobustness,
} from './evaluate.js';
export { ROBUSTNESS_COLUMNS, SMOOTHNESS_COLUMNS, toCsv, writeRobustness } from './output.js';
export { type AgentLoader, loadAgent, loadMlpAgent, mlpPolicy, registerAgentLoader } from './load-agent.js';
export { observationNormalizer } from './normalizer.js';
export { TRAINED_AGENT_LOADERS, loadDdpgAgent, loadTrpoAgent, noCheckpointOf } from './trained-agents.js';
export { AdversaryEnv } from './adversary-env.js';
export {
  type Adversary,
  OPTIMAL_ATTACK_DEFAULTS,
  type OptimalAttackSettings,
  trainOptimalAttack,
} from './optimal-attack.js';
export {
  ROBUST_SARSA_DEFAULTS,
  type RobustSarsaResult,
  type RobustSarsaSettings,
  trainRobustSarsa,
} from './robust-sarsa.js';
