/** Option checks shared by layers and optimizers: errors name the owner, the field, the value and what is allowed. */

export function describeValue(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? JSON.stringify(v) : String(v);
}

/** A finite number within [min, max] (or (min, max] with minExclusive). */
export function checkNumber(
  owner: string,
  field: string,
  value: unknown,
  range: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, minExclusive = false, maxExclusive = false } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (minExclusive ? value > min : value >= min) &&
    (maxExclusive ? value < max : value <= max);
  if (!ok) {
    const lo = min === -Infinity ? '' : `${minExclusive ? '>' : '>='} ${min}`;
    const hi = max === Infinity ? '' : `${maxExclusive ? '<' : '<='} ${max}`;
    const bounds = [lo, hi].filter(Boolean).join(' and ');
    throw new RangeError(
      `${owner}: ${field} must be a finite number${bounds ? ` ${bounds}` : ''}, got ${describeValue(value)}`,
    );
  }
  return value;
}

export function checkPositiveInt(owner: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${owner}: ${field} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

export function checkOneOf<T extends string>(
  owner: string,
  field: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (!allowed.includes(value as T)) {
    throw new RangeError(
      `${owner}: ${field} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(value)}`,
    );
  }
  return value as T;
}
