/**
 * Many claims checked at once: at a 5% error rate each, about one in twenty reaches a verdict
 * by chance when none is true. Holm's method (@stdlib/stats-padjust) adjusts the claims'
 * permutation p-values so that the chance of any false verdict among them stays at 5%.
 */
import padjust from '@stdlib/stats-padjust';

/** The family-wise error rate Holm's correction keeps. */
export const FAMILY_ALPHA = 0.05;

/** Holm-adjusted p-values of the items whose p is defined (the family), by item. */
export function holmAdjusted<C>(items: readonly C[], p: (item: C) => number): Map<C, number> {
  const tested = items.filter((c) => Number.isFinite(p(c)));
  const adjusted = tested.length ? padjust(tested.map(p), 'holm') : [];
  return new Map(tested.map((c, i) => [c, adjusted[i]!]));
}
