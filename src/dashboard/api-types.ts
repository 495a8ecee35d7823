/**
 * What the dashboard's server answers (JSON) and the page reads; also the shape of the data
 * an exported HTML file carries. Pure types: shared by the server and the browser bundle.
 */
import type { CsvTable } from './csv-table.js';

export type RunState = 'finished' | 'running' | 'stopped' | 'empty' | 'broken';
export type SettingValue = string | number | boolean | null;

export interface RunSummary {
  /** the run folder relative to the dashboard's folder, with '/' ('.' for the folder itself) */
  id: string;
  env: string;
  algo: string;
  seed: number;
  /** the sweep's setting name, when a sweep made the run */
  setting: string | null;
  /** every scalar setting of config.json (arrays as JSON text) */
  settings: Record<string, SettingValue>;
  /** the settings whose values differ between the runs shown, besides env, algo and seed */
  differing: Record<string, SettingValue>;
  /** the runs a curve averages over: same env, algorithm and differing settings */
  group: string;
  state: RunState;
  returnColumn: string | null;
  finalReturn: number | null;
  iterations: number;
  envSteps: number | null;
  hasGrads: boolean;
  hasRobustness: boolean;
  /** iterations of the checkpoints on disk */
  checkpoints: number[];
  /** unreadable or half-written files of this run, one sentence each */
  problems: string[];
}

export interface RunsResponse {
  /** the folder's name (never its absolute path) */
  folder: string;
  runs: RunSummary[];
  problems: string[];
}

export interface TableResponse {
  run: string;
  file: string;
  /** null when the file does not exist */
  table: CsvTable | null;
}

/** One (attack, ε) row of `sr2l eval` for one policy (eval/robustness.json). */
export interface RobustnessEntry {
  attack: string;
  eps: number;
  mean: number;
  episodes: number;
}

export interface RunRobustness {
  run: string;
  epsScale: string;
  rows: RobustnessEntry[];
  smoothness: { eps: number; lipschitzMean: number }[];
}

export interface RobustnessResponse {
  runs: RunRobustness[];
  problems: string[];
}

export interface GraphNodeInfo {
  id: number;
  op: string;
  name?: string;
  shape: number[];
  dtype: string;
  isLeaf: boolean;
  gradNorm?: number;
  /** summary and histogram of the node's values */
  values: { min: number; max: number; mean: number; count: number; bins: number[] } | null;
}

export interface GraphResponse {
  run: string;
  iteration: number;
  loss: number;
  nodes: GraphNodeInfo[];
  edges: [number, number][];
}

/** A MuJoCo geom: mjtGeom type number, size (3) and colour (rgba). */
export interface GeomInfo {
  type: number;
  size: number[];
  rgba: number[];
}

/** One replayed episode: per step the action, reward and ‖perturbation‖∞ (ball units). */
export interface ReplayTrajectory {
  return: number;
  length: number;
  actions: number[][];
  rewards: number[];
  perturbation: number[];
  /** per frame (the reset state, then after each step) every geom's position (3) and rotation (9); null off MuJoCo */
  frames: number[][] | null;
}

export interface ReplayResponse {
  run: string;
  /** the checkpoint replayed (sr2l eval --iteration); null for a run in the plain MLP format */
  iteration: number | null;
  env: string;
  attack: string;
  eps: number;
  epsScale: string;
  seed: number;
  episode: number;
  episodes: number;
  /** seconds of simulated time per step */
  dt: number;
  geoms: GeomInfo[] | null;
  clean: ReplayTrajectory;
  attacked: ReplayTrajectory;
  /** where the episodes ran: 'server', or the page's engine and backend */
  computedBy: string;
}

/** Everything an exported page needs, embedded in the HTML file. */
export interface ExportedData {
  runs: RunsResponse;
  progress: Record<string, TableResponse>;
  robustness: RobustnessResponse;
  createdAt: string;
}

/** Server-sent events: changes are being watched (reread everything), a run's file grew, the set of runs changed. */
export type LiveEvent =
  { type: 'ready' } | { type: 'progress'; run: string } | { type: 'grads'; run: string } | { type: 'runs' };
