/** A small statistic of eval's clean states (its own module: the dashboard's page replays use it too). */

/** Per-column std (population) of a row-major [rows × n] array. */
export function columnStd(data: Float64Array, n: number): number[] {
  const rows = data.length / n;
  const mean = new Float64Array(n);
  const sq = new Float64Array(n);
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) mean[j]! += data[r * n + j]! / rows;
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < n; j++) sq[j]! += (data[r * n + j]! - mean[j]!) ** 2 / rows;
  return Array.from(sq, Math.sqrt);
}
