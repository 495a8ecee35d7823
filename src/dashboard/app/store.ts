/** The page's state: the runs, their progress tables, the filter; views re-render on change. */
import type { LiveEvent, RunSummary, RunsResponse, TableResponse } from '../api-types.js';
import type { DataSource } from './data-source.js';

export class Store {
  runs: RunsResponse = { folder: '', runs: [], problems: [] };
  readonly progress = new Map<string, TableResponse>();
  filter = '';
  private readonly listeners: (() => void)[] = [];
  private readonly liveListeners: ((e: LiveEvent) => void)[] = [];

  constructor(readonly source: DataSource) {}

  onChange(l: () => void): void {
    this.listeners.push(l);
  }
  changed(): void {
    for (const l of this.listeners) l();
  }
  /** views that read more than progress.csv (grads.csv) listen to the live events themselves */
  onLive(l: (e: LiveEvent) => void): void {
    this.liveListeners.push(l);
  }
  live(e: LiveEvent): void {
    for (const l of this.liveListeners) l(e);
  }

  /** Runs matching the filter: every word must appear in the run's id, group, state or settings. */
  visibleRuns(): RunSummary[] {
    const words = this.filter.toLowerCase().split(/\s+/).filter(Boolean);
    return this.runs.runs.filter((r) => {
      const hay = [r.id, r.group, r.state, ...Object.entries(r.settings).map(([k, v]) => `${k}=${String(v)}`)]
        .join(' ')
        .toLowerCase();
      return words.every((w) => hay.includes(w));
    });
  }

  async loadRuns(): Promise<void> {
    this.runs = await this.source.runs();
  }

  async loadProgress(run: string): Promise<void> {
    try {
      this.progress.set(run, await this.source.progress(run));
    } catch (e) {
      this.progress.set(run, {
        run,
        file: 'progress.csv',
        table: { header: [], rows: [], problems: [(e as Error).message] },
      });
    }
  }

  async loadAll(): Promise<void> {
    await this.loadRuns();
    await Promise.all(this.runs.runs.map((r) => this.loadProgress(r.id)));
  }
}
