/**
 * Live updates: a poller that stats every run's progress.csv and grads.csv and re-lists the
 * runs, and tells its listeners what changed (the server turns that into server-sent
 * events). Polling the file sizes and times works on every file system, including network
 * mounts where inotify (fs.watch) misses writes from other machines, and never holds files open.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LiveEvent } from './api-types.js';
import { findRuns } from './discover.js';

type Listener = (e: LiveEvent) => void;

const WATCHED: Record<string, 'progress' | 'grads'> = { 'progress.csv': 'progress', 'grads.csv': 'grads' };

export class RunWatcher {
  private readonly listeners = new Set<Listener>();
  private readonly seen = new Map<string, string>();
  private ids: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** the first pass, which records the files as they are (changes are measured against it) */
  private first: Promise<void> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly root: string,
    private readonly intervalMs: number,
  ) {}

  /**
   * Adds a listener; the poller runs while there is at least one. `ready` resolves once every
   * later change will be reported: a client rereads its data then, so nothing written
   * between its first read and its subscription is missed.
   */
  subscribe(l: Listener): { ready: Promise<void>; unsubscribe: () => void } {
    this.listeners.add(l);
    if (!this.timer) {
      this.first = this.poll(false);
      this.timer = setInterval(() => void this.poll(true), this.intervalMs);
    }
    return {
      ready: this.first,
      unsubscribe: () => {
        this.listeners.delete(l);
        if (this.listeners.size === 0) this.stop();
      },
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.seen.clear();
    this.ids = [];
  }

  private emit(e: LiveEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** One pass; `announce` false records the current state without events (the first pass). */
  private async poll(announce: boolean): Promise<void> {
    if (this.busy) return; // a slow disk: skip a tick rather than pile up passes
    this.busy = true;
    try {
      const ids = await findRuns(this.root);
      if (announce && ids.join('\n') !== this.ids.join('\n')) this.emit({ type: 'runs' });
      this.ids = ids;
      for (const id of ids)
        for (const [file, type] of Object.entries(WATCHED)) {
          const path = join(this.root, ...(id === '.' ? [] : id.split('/')), file);
          const s = await stat(path).catch(() => null);
          const sig = s ? `${s.size}:${s.mtimeMs}` : '';
          const key = `${id}\0${file}`;
          const before = this.seen.get(key);
          this.seen.set(key, sig);
          if (announce && before !== undefined && before !== sig) this.emit({ type, run: id });
        }
    } finally {
      this.busy = false;
    }
  }
}
