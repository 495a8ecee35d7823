/**
 * A population trains settings that differ only in their seeds (one process, lockstep
 * members): anything else differing would need separate processes.
 */
import { ConfigError, type RunSettings } from '../settings.js';

/** Throws a ConfigError naming the first setting that differs, or a repeated seed. */
export function checkPopulationConfigs(configs: readonly RunSettings[]): void {
  if (configs.length === 0) throw new ConfigError('a population needs at least one seed');
  const first = configs[0]! as unknown as Record<string, unknown>;
  const seen = new Set<number>();
  configs.forEach((c, k) => {
    if (seen.has(c.seed)) throw new ConfigError(`a population lists seed ${c.seed} twice`);
    seen.add(c.seed);
    const other = c as unknown as Record<string, unknown>;
    for (const key of new Set([...Object.keys(first), ...Object.keys(other)])) {
      if (key === 'seed') continue;
      if (JSON.stringify(first[key]) !== JSON.stringify(other[key]))
        throw new ConfigError(
          `a population's members may differ only in seed; member ${k} (seed ${c.seed}) has ${key} = ${JSON.stringify(other[key])}, member 0 has ${JSON.stringify(first[key])}`,
        );
    }
  });
}
