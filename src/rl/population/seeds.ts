/** Seed lists as `--seeds` writes them: `0-9`, `0,3,7`, or both (`0-2,5`). */
import { ConfigError } from '../settings.js';

const MAX_SEEDS = 10_000;

/** The seeds `spec` lists, in its order; a malformed, empty, negative or repeated entry is a ConfigError. */
export function parseSeeds(spec: string, source = '--seeds'): number[] {
  const seeds: number[] = [];
  const nonNegative = (s: string, part: string): number => {
    if (!/^\d+$/.test(s.trim()) || !Number.isSafeInteger(Number(s)) || Number(s) > 0xffffffff)
      throw new ConfigError(
        `${source}: '${part}' is not a seed (a whole number 0 … 4294967295) or a range like 0-9; got '${spec}'`,
      );
    return Number(s);
  };
  for (const part of spec.split(',')) {
    const range = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    if (range) {
      const [lo, hi] = [nonNegative(range[1]!, part), nonNegative(range[2]!, part)];
      if (hi < lo) throw new ConfigError(`${source}: the range '${part.trim()}' runs backwards`);
      if (hi - lo + 1 + seeds.length > MAX_SEEDS)
        throw new ConfigError(`${source}: more than ${MAX_SEEDS} seeds in '${spec}'`);
      for (let s = lo; s <= hi; s++) seeds.push(s);
    } else seeds.push(nonNegative(part, part));
  }
  const seen = new Set<number>();
  for (const s of seeds) {
    if (seen.has(s)) throw new ConfigError(`${source}: seed ${s} is listed twice in '${spec}'`);
    seen.add(s);
  }
  return seeds;
}

/** The seeds in `--seeds` form, ranges collapsed: [0,1,2,5] → '0-2,5'. */
export function formatSeeds(seeds: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < seeds.length;) {
    let j = i;
    while (j + 1 < seeds.length && seeds[j + 1] === seeds[j]! + 1) j++;
    parts.push(j > i ? `${seeds[i]}-${seeds[j]}` : `${seeds[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Member run folders of a population under `out`: out/s<seed>. */
export function memberFolder(seed: number): string {
  return `s${seed}`;
}
