/** SR²L's smoothness-inducing regularizer: the inner maximization (ε ball or Wasserstein dual) and its divergences. */
export {
  type AscentRule,
  ASCENT_RULES,
  type Divergence,
  type PgdOptions,
  type PgdResult,
  ascend,
  checkPgdOptions,
  pgdMaximize,
} from './pgd.js';
export {
  type WassersteinDualOptions,
  type WassersteinDualResult,
  checkWassersteinDualOptions,
  penalizedDivergence,
  wassersteinDualMaximize,
} from './wasserstein-dual.js';
export { EPS_SCALES, type EpsScale, columnStd, inScaledBall } from './scaled-ball.js';
export {
  REGULARIZER_FORMS,
  type InnerMaxResult,
  type InnerMaxSettings,
  type RegularizerForm,
  type SmoothnessSettings,
  findPerturbation,
  innerMaxSettings,
} from './inner-max.js';
