/** A one-line progress bar on stderr: iteration, env steps, average return, ETA. */
import { formatDuration } from '../experiments/progress.js';

export class ProgressBar {
  private readonly started = performance.now();
  private lastReturn = NaN;

  constructor(
    readonly total: number,
    readonly width = 24,
  ) {}

  /** `from` is the iteration this invocation started at (ETA counts only its own pace). */
  update(iteration: number, envSteps: number, averageReturn: number, from: number): void {
    if (!Number.isNaN(averageReturn)) this.lastReturn = averageReturn;
    const frac = iteration / this.total;
    const filled = Math.round(frac * this.width);
    const elapsed = (performance.now() - this.started) / 1000;
    const done = iteration - from;
    const eta = done > 0 ? (elapsed / done) * (this.total - iteration) : NaN;
    const ret = Number.isNaN(this.lastReturn) ? '—' : this.lastReturn.toFixed(1);
    const line =
      `[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] it ${iteration}/${this.total}` +
      `  steps ${envSteps}  avg return ${ret}  ETA ${Number.isFinite(eta) ? formatDuration(eta) : '—'}`;
    process.stderr.write(`\r${line}\x1b[K`);
  }

  done(): void {
    process.stderr.write('\n');
  }
}
