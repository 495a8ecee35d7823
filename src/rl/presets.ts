/**
 * Named presets: a preset is a set of settings overlaid on an algorithm's defaults
 * before the user's own (file, then flags), so `--preset garage-benchmark --hidden 32,32`
 * runs the preset with one change. The chosen name is a setting itself (`preset`), so
 * config.json records it next to the resolved values. Each family keeps its values, with
 * their sources, beside its config (trpo/presets.ts, ddpg/presets.ts); docs/presets.md
 * lists them.
 */
import { ConfigError, type Rule } from './settings.js';

export const PRESET_NAMES = ['garage-benchmark'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** The settings each preset sets for one algorithm family. */
export type PresetTable<C> = Record<PresetName, Partial<C>>;

/** A config's `preset` field: null (none) or a known name. */
export const presetRule: Rule = (v) =>
  v === null || (typeof v === 'string' && (PRESET_NAMES as readonly string[]).includes(v))
    ? null
    : `null or one of ${PRESET_NAMES.join(', ')}`;

/**
 * `partial` on top of the preset it names (if any): what resolveSettings then overlays
 * on the defaults. An unknown name is a ConfigError naming the value and the choices.
 */
export function overlayPreset<C>(
  table: PresetTable<C>,
  partial: Record<string, unknown>,
  source: string,
): Record<string, unknown> {
  const name = partial.preset;
  if (name === undefined || name === null) return partial;
  if (presetRule(name) !== null)
    throw new ConfigError(
      `${source}: preset = ${JSON.stringify(name)} is unknown; allowed: ${PRESET_NAMES.join(', ')}`,
    );
  return { ...table[name as PresetName], ...partial };
}
