/**
 * Sweep configuration (experiments/*.yaml): the product envs × algorithms × seeds ×
 * settings, checked completely before anything runs. Every error names the key, the
 * value found and what is allowed.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ENV_IDS } from '../envs/registry.js';

/** Training algorithms `sr2l train --algo` accepts (TRPO issue, DDPG issue). */
export const ALGORITHMS = ['trpo', 'trpo-sr', 'ddpg', 'ddpg-sr-a', 'ddpg-sr-c'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** Extra training options: `--kebab-name value` for each key. */
export type TrainOptions = Record<string, number | string | boolean>;

export interface Setting {
  /** part of the run folder name; 'default' when the config lists no settings */
  name: string;
  options: TrainOptions;
}

export interface SweepConfig {
  name: string;
  /** folder the sweep writes (relative paths resolve against the config file's folder's parent: the repository) */
  out: string;
  envs: string[];
  algorithms: Algorithm[];
  seeds: number[];
  iterations: number;
  stepsPerIteration: number;
  /** options every run gets */
  options: TrainOptions;
  /** options only the runs of one algorithm get (e.g. ε and λ_s for the SR variants) */
  algorithmOptions: Partial<Record<Algorithm, TrainOptions>>;
  settings: Setting[];
  /** argv prefix of the training command; default: this sr2l's own `train` */
  command?: string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
  }
}

const TOP_KEYS = [
  'name',
  'out',
  'envs',
  'algorithms',
  'seeds',
  'iterations',
  'stepsPerIteration',
  'options',
  'algorithmOptions',
  'settings',
  'grid',
  'command',
  'description',
] as const;

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** Validates a parsed YAML/JSON document. */
export function validateSweepConfig(doc: unknown, source = 'sweep config'): SweepConfig {
  const fail = (msg: string): never => {
    throw new ConfigError(source, msg);
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    fail(`expected a mapping with keys ${TOP_KEYS.join(', ')}; got ${show(doc)}`);
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d))
    if (!(TOP_KEYS as readonly string[]).includes(k))
      fail(`unknown key '${k}'; allowed keys: ${TOP_KEYS.join(', ')}`);

  const str = (key: string, v: unknown): string =>
    typeof v === 'string' && v.length > 0 ? v : fail(`'${key}' must be a non-empty string, got ${show(v)}`);
  const posInt = (key: string, v: unknown): number =>
    Number.isInteger(v) && (v as number) > 0
      ? (v as number)
      : fail(`'${key}' must be a positive integer, got ${show(v)}`);
  const list = (key: string, v: unknown): unknown[] =>
    Array.isArray(v) && v.length > 0 ? v : fail(`'${key}' must be a non-empty list, got ${show(v)}`);
  const options = (key: string, v: unknown): TrainOptions => {
    if (v === undefined) return {};
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      fail(`'${key}' must be a mapping of option name to number, string or boolean, got ${show(v)}`);
    const out: TrainOptions = {};
    for (const [k, x] of Object.entries(v as object)) {
      if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(k)) fail(`'${key}.${k}': option names are camelCase identifiers`);
      if (!['number', 'string', 'boolean'].includes(typeof x))
        fail(`'${key}.${k}' must be a number, string or boolean, got ${show(x)}`);
      if (['env', 'algo', 'seed', 'iterations', 'stepsPerIteration', 'out'].includes(k))
        fail(`'${key}.${k}' is set by the sweep itself; use the top-level key instead`);
      out[k] = x as number | string | boolean;
    }
    return out;
  };

  const algorithmOptions = (v: unknown): Partial<Record<Algorithm, TrainOptions>> => {
    if (v === undefined) return {};
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      fail(`'algorithmOptions' must be a mapping of algorithm to options, got ${show(v)}`);
    const out: Partial<Record<Algorithm, TrainOptions>> = {};
    for (const [a, o] of Object.entries(v as object)) {
      if (!(ALGORITHMS as readonly string[]).includes(a))
        fail(`'algorithmOptions.${a}': unknown algorithm; allowed: ${ALGORITHMS.join(', ')}`);
      out[a as Algorithm] = options(`algorithmOptions.${a}`, o);
    }
    return out;
  };

  const name = str('name', d.name);
  if (!/^[\w.-]+$/.test(name)) fail(`'name' may hold letters, digits, '_', '-' and '.', got ${show(name)}`);
  const envs = list('envs', d.envs).map((e, i) =>
    typeof e === 'string' && ENV_IDS.includes(e)
      ? e
      : fail(`'envs[${i}]' is ${show(e)}; allowed: ${ENV_IDS.join(', ')}`),
  );
  const algorithms = list('algorithms', d.algorithms).map((a, i) =>
    (ALGORITHMS as readonly unknown[]).includes(a)
      ? (a as Algorithm)
      : fail(`'algorithms[${i}]' is ${show(a)}; allowed: ${ALGORITHMS.join(', ')}`),
  );
  let seeds: number[];
  if (typeof d.seeds === 'number') seeds = Array.from({ length: posInt('seeds', d.seeds) }, (_, i) => i);
  else
    seeds = list('seeds', d.seeds).map((s, i) =>
      Number.isInteger(s) && (s as number) >= 0
        ? (s as number)
        : fail(
            `'seeds[${i}]' must be an integer ≥ 0, got ${show(s)} ('seeds' is a count or a list of seeds)`,
          ),
    );
  for (const field of ['envs', 'algorithms', 'seeds'] as const) {
    const xs = field === 'envs' ? envs : field === 'algorithms' ? algorithms : seeds;
    const dup = xs.find((x, i) => xs.indexOf(x as never) !== i);
    if (dup !== undefined) fail(`'${field}' lists ${show(dup)} twice`);
  }

  if (d.settings !== undefined && d.grid !== undefined)
    fail(`give either 'settings' (a list) or 'grid' (a mapping of option to values), not both`);
  let settings: Setting[] = [{ name: 'default', options: {} }];
  if (d.settings !== undefined) {
    settings = list('settings', d.settings).map((s, i) => {
      if (typeof s !== 'object' || s === null || Array.isArray(s))
        fail(`'settings[${i}]' must be a mapping with keys name, options; got ${show(s)}`);
      const r = s as Record<string, unknown>;
      for (const k of Object.keys(r))
        if (k !== 'name' && k !== 'options')
          fail(`'settings[${i}].${k}' is unknown; allowed keys: name, options`);
      const n = str(`settings[${i}].name`, r.name);
      if (!/^[\w.=,-]+$/.test(n)) fail(`'settings[${i}].name' may hold letters, digits and _ - . = , only`);
      return { name: n, options: options(`settings[${i}].options`, r.options) };
    });
  } else if (d.grid !== undefined) {
    settings = expandGrid(d.grid, fail);
    // the option names of a grid obey the same rules as those of 'options'
    options('grid', Object.fromEntries(Object.keys(d.grid as object).map((k) => [k, 0])));
  }
  const dupSetting = settings.find((s, i) => settings.findIndex((t) => t.name === s.name) !== i);
  if (dupSetting) fail(`two settings are named '${dupSetting.name}'`);

  let command: string[] | undefined;
  if (d.command !== undefined) command = list('command', d.command).map((c, i) => str(`command[${i}]`, c));
  return {
    name,
    out: d.out === undefined ? `runs/${name}` : str('out', d.out),
    envs,
    algorithms,
    seeds,
    iterations: posInt('iterations', d.iterations),
    stepsPerIteration:
      d.stepsPerIteration === undefined ? 1000 : posInt('stepsPerIteration', d.stepsPerIteration),
    options: options('options', d.options),
    algorithmOptions: algorithmOptions(d.algorithmOptions),
    settings,
    ...(command ? { command } : {}),
  };
}

/** `grid: {eps: [0.01, 0.1], lambda: [1, 10]}` → one setting per combination, named `eps=0.01,lambda=1`. */
function expandGrid(grid: unknown, fail: (m: string) => never): Setting[] {
  if (typeof grid !== 'object' || grid === null || Array.isArray(grid))
    fail(`'grid' must be a mapping of option name to a list of values, got ${show(grid)}`);
  let out: Setting[] = [{ name: '', options: {} }];
  for (const [k, values] of Object.entries(grid as object)) {
    if (!Array.isArray(values) || values.length === 0)
      fail(`'grid.${k}' must be a non-empty list of values, got ${show(values)}`);
    (values as unknown[]).forEach((v, i) => {
      if (!['number', 'string', 'boolean'].includes(typeof v))
        fail(`'grid.${k}[${i}]' must be a number, string or boolean, got ${show(v)}`);
    });
    out = out.flatMap((s) =>
      (values as (number | string | boolean)[]).map((v) => ({
        name: s.name ? `${s.name},${k}=${v}` : `${k}=${v}`,
        options: { ...s.options, [k]: v },
      })),
    );
  }
  return out;
}

export async function loadSweepConfig(path: string): Promise<SweepConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, `cannot read the file (${(e as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new ConfigError(path, `not valid YAML: ${(e as Error).message}`);
  }
  return validateSweepConfig(doc, path);
}
