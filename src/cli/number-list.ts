/** Comma-separated number flags (`--eps 0,0.05,0.1`): each item a finite number ≥ 0, none empty. */
import { UsageError } from './command.js';

export function numberList(flag: string, text: string): number[] {
  const items = text.split(',').map((s) => s.trim());
  const xs = items.map(Number);
  const bad = xs.findIndex((x, i) => items[i] === '' || !Number.isFinite(x) || x < 0);
  if (bad >= 0) throw new UsageError(`--${flag}: '${items[bad]}' is not a number ≥ 0`);
  return xs;
}
