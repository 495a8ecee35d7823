/**
 * What every algorithm's settings share: the run loop's settings (RunSettings), the
 * validation rules each config is checked with, and the error a bad setting raises (it
 * names the setting, its value and what is allowed).
 */
export const BACKENDS = ['cpu', 'webgpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export const DTYPES = ['float32', 'float64'] as const;

/**
 * What every algorithm's config has: the run loop (run/train-run.ts), the CLI and the
 * sweep read these and nothing else.
 */
export interface RunSettings {
  algo: string;
  env: string;
  seed: number;
  /** iterations = policy updates = progress.csv rows (paper §5: 500) */
  iterations: number;
  /** deterministic-policy evaluation every N iterations (0: never) */
  evalEvery: number;
  /** episodes per evaluation */
  evalEpisodes: number;
  /** checkpoint every N iterations (and always at the end) */
  checkpointEvery: number;
  backend: BackendName;
  dtype: (typeof DTYPES)[number];
  /** write per-parameter gradient norms to grads.csv */
  logGrads: boolean;
}

/** A setting that failed validation. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A setting's check: null when valid, else what is allowed. Shared by every algorithm's config. */
export type Rule = (v: unknown) => string | null;
export const int =
  (min: number, max = Number.MAX_SAFE_INTEGER): Rule =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? null
      : `an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}]`;
export const num =
  (min: number, max: number, open: { min?: boolean; max?: boolean } = {}): Rule =>
  (v) =>
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (open.min ? v > min : v >= min) &&
    (open.max ? v < max : v <= max)
      ? null
      : `a number in ${open.min ? '(' : '['}${min}, ${max === Infinity ? '∞' : max}${open.max || max === Infinity ? ')' : ']'}`;
export const oneOf =
  (allowed: readonly string[]): Rule =>
  (v) =>
    typeof v === 'string' && allowed.includes(v) ? null : `one of ${allowed.join(', ')}`;
export const bool: Rule = (v) => (typeof v === 'boolean' ? null : 'true or false');

/** `defaults` overlaid with `partial`, every key checked by its rule (any algorithm's settings). */
export function resolveSettings<C extends object>(
  rules: { [K in keyof C]: Rule },
  defaults: C,
  partial: Record<string, unknown>,
  source: string,
): C {
  const keys = Object.keys(rules) as (keyof C & string)[];
  for (const key of Object.keys(partial)) {
    if (!Object.hasOwn(rules, key)) {
      throw new ConfigError(`${source}: unknown setting '${key}'; known settings: ${keys.join(', ')}`);
    }
  }
  const merged = { ...defaults, ...partial } as Record<string, unknown>;
  for (const key of keys) {
    const problem = rules[key](merged[key]);
    if (problem) {
      throw new ConfigError(
        `${source}: ${key} = ${JSON.stringify(merged[key])} is invalid; allowed: ${problem}`,
      );
    }
  }
  return structuredClone(merged) as C;
}
