/**
 * Where the page's data comes from: the dashboard server (fetch + server-sent events), or
 * the JSON an exported HTML file carries (no server: gradients and graphs are not in it).
 */
import type {
  ExportedData,
  GraphResponse,
  LiveEvent,
  ReplayResponse,
  RobustnessResponse,
  RunSummary,
  RunsResponse,
  TableResponse,
} from '../api-types.js';
import { replayInPage } from './page-replay.js';

export interface DataSource {
  readonly live: boolean;
  runs(): Promise<RunsResponse>;
  progress(run: string): Promise<TableResponse>;
  grads(run: string): Promise<TableResponse>;
  robustness(): Promise<RobustnessResponse>;
  graph(run: string, iteration: number): Promise<GraphResponse>;
  /**
   * `query`: attack, eps, epsScale, episodes, episode and optionally seed (as /api/replay
   * takes them). Computed in the page (page-replay.ts); /api/replay is the server's cross-check.
   */
  replay(run: RunSummary, query: Record<string, string>): Promise<ReplayResponse>;
  /** calls `on` for every live event; returns the stopper */
  subscribe(on: (e: LiveEvent) => void): () => void;
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path);
  const body = (await res.json().catch(() => null)) as (T & { error?: string }) | null;
  if (!res.ok) throw new Error(body?.error ?? `${path}: HTTP ${res.status}`);
  return body as T;
}

const q = encodeURIComponent;

export const serverSource: DataSource = {
  live: true,
  runs: () => getJson('/api/runs'),
  progress: (run) => getJson(`/api/progress?run=${q(run)}`),
  grads: (run) => getJson(`/api/grads?run=${q(run)}`),
  robustness: () => getJson('/api/robustness'),
  graph: (run, it) => getJson(`/api/graph?run=${q(run)}&iteration=${it}`),
  replay: replayInPage,
  subscribe(on) {
    const es = new EventSource('/api/events');
    for (const type of ['ready', 'progress', 'grads', 'runs'])
      es.addEventListener(type, (m) => on(JSON.parse((m as MessageEvent<string>).data) as LiveEvent));
    return () => es.close();
  },
};

export function embeddedSource(data: ExportedData): DataSource {
  const missing = (what: string) => Promise.reject(new Error(`${what} is not part of an exported file`));
  return {
    live: false,
    runs: async () => data.runs,
    progress: async (run) => data.progress[run] ?? { run, file: 'progress.csv', table: null },
    grads: () => missing('the gradient inspector'),
    robustness: async () => data.robustness,
    graph: () => missing('the loss graph'),
    replay: () => missing('the replay'),
    subscribe: () => () => {},
  };
}

/** The embedded data of an exported file, or null when the page was served. */
export function embeddedData(): ExportedData | null {
  const el = document.getElementById('sr2l-data');
  return el?.textContent ? (JSON.parse(el.textContent) as ExportedData) : null;
}
