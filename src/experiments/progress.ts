/** Text for the sweep's progress display: one status line, and one line per run event. */
import type { SweepEvent, SweepStatus } from './sweep.js';

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0
    ? `${h}h${String(m).padStart(2, '0')}m`
    : m > 0
      ? `${m}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
}

export function formatStatus(s: SweepStatus): string {
  const eta = s.etaSeconds === null ? 'ETA –' : `ETA ${formatDuration(s.etaSeconds)}`;
  const failed = s.failed ? `, ${s.failed} failed` : '';
  return `runs ${s.done}/${s.total} done, ${s.running} running, ${s.left} left${failed} | ${(100 * s.fraction).toFixed(1)}% of iterations | ${eta}`;
}

/** A line for a run event (null for progress events, which update the status line). */
export function formatEvent(e: SweepEvent): string | null {
  switch (e.kind) {
    case 'skip':
      return `skip   ${e.run.id} (finished)`;
    case 'start':
      return `start  ${e.run.id}${e.resumedAt ? ` (resuming after ${e.resumedAt} iterations)` : ''}`;
    case 'done':
      return `done   ${e.run.id} in ${formatDuration(e.wallSeconds)}`;
    case 'fail': {
      const why = e.signal ? `signal ${e.signal}` : `exit code ${e.exitCode}`;
      const log = e.log.replace(/^/gm, '    | ');
      return `FAILED ${e.run.id} (${why}); log ${e.run.dir}/train.log ends with:\n${log}`;
    }
    case 'stopped':
      return `stop   ${e.run.id} (interrupted; it resumes on the next start)`;
    case 'stalled':
      return `stall  ${e.run.id}: no new iteration for ${formatDuration(e.seconds)} after iteration ${e.iteration}; killed${e.restart ? ', resuming from its last checkpoint' : ''}`;
    case 'note':
      return `note   ${e.run.id}: ${e.message}`;
    case 'progress':
      return null;
  }
}
