/**
 * Reading settings from a file (JSON, or YAML by extension .yaml/.yml) and from
 * command-line values: keys may be camelCase (batchSize) or kebab-case (batch-size).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './settings.js';
import { TRPO_DEFAULTS } from './trpo/config.js';

export const camel = (k: string): string => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
export const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The settings in a JSON or YAML file, keys normalized to camelCase (not yet validated). */
export function readConfigFile(path: string): Record<string, unknown> {
  let textContent: string;
  try {
    textContent = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(
      `--config ${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? e})`,
    );
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(path) ? parseYaml(textContent) : JSON.parse(textContent);
  } catch (e) {
    throw new ConfigError(
      `--config ${path}: not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(
      `--config ${path}: expected a mapping of settings, got ${Array.isArray(data) ? 'a list' : typeof data}`,
    );
  }
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [camel(k), v]));
}

/**
 * Converts a command-line string to the type of the setting `key` (number, boolean,
 * list of integers, null) given by `defaults` (TRPO's unless another algorithm's); the
 * result is validated later by the algorithm's resolveConfig.
 */
export function parseFlagValue(key: string, raw: string, defaults: object = TRPO_DEFAULTS): unknown {
  const def = (defaults as Record<string, unknown>)[key];
  const flag = `--${kebab(key)}`;
  if (key === 'maxEpisodeSteps') return raw === 'null' ? null : toNumber(flag, raw);
  if (Array.isArray(def)) return raw.split(',').map((s) => toNumber(flag, s.trim()));
  if (typeof def === 'number') return toNumber(flag, raw);
  if (typeof def === 'boolean') {
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    throw new ConfigError(`${flag} = ${JSON.stringify(raw)} is invalid; allowed: true or false`);
  }
  return raw;
}

function toNumber(flag: string, raw: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || Number.isNaN(v))
    throw new ConfigError(`${flag} = ${JSON.stringify(raw)} is invalid; allowed: a number`);
  return v;
}
