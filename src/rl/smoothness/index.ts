/** SR²L's smoothness-inducing regularizer: the PGD inner maximization and its divergences. */
export {
  type AscentRule,
  ASCENT_RULES,
  type Divergence,
  type PgdOptions,
  type PgdResult,
  checkPgdOptions,
  pgdMaximize,
} from './pgd.js';
