/** Duration flags (`--start-within 1h30m`): hours, minutes and seconds, or plain seconds. */
import { UsageError } from './command.js';

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1 };

/** Seconds in `text`: `90` (seconds), `45s`, `20m`, `2h`, `1h30m`, `1.5h`, `2h5m10s`; > 0. */
export function durationSeconds(flag: string, text: string): number {
  const t = text.trim();
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)([hms])/g)];
  const seconds = /^\d+(\.\d+)?$/.test(t)
    ? Number(t)
    : parts.map((p) => p[0]).join('') === t && new Set(parts.map((p) => p[2])).size === parts.length
      ? parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]!]!, 0)
      : NaN;
  if (!(seconds > 0))
    throw new UsageError(
      `--${flag} must be a duration > 0 such as 90m, 2h or 1h30m (plain numbers are seconds), got '${text}'`,
    );
  return seconds;
}
