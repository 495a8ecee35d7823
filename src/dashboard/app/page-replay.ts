/**
 * The replay computed in this page: the run's config.json, checkpoints/latest.json and the
 * newest checkpoint's files are fetched through the server's read-only /files/, the agent
 * is rebuilt with the trainers' own networks (rl/robustness/checkpoint-agent.ts) and the
 * clean and attacked episodes run here, MuJoCo (mujoco-js, loaded on the first replay) and
 * the policy (sr2l's engine) included, exactly as `sr2l eval` runs them
 * (dashboard/replay-episodes.ts). The engine runs on the CPU backend with its WebAssembly
 * SIMD kernels, the backend `sr2l eval` uses by default: the same arithmetic gives the same
 * returns bit for bit, which WebGPU's would not, so it is not used even where the browser has
 * it (the page says which). mujoco-js (11 MB) is a chunk of the bundle that the first
 * replay loads.
 */
import { getDefaultBackend } from '../../autograd/default-backend.js';
import { DDPG_ALGOS } from '../../rl/ddpg/config.js';
import { CHECKPOINTS, checkpointName, LATEST, latestIteration } from '../../rl/run/checkpoint-layout.js';
import {
  type AgentSettings,
  type CheckpointFiles,
  ddpgCheckpointAgent,
  trpoCheckpointAgent,
} from '../../rl/robustness/checkpoint-agent.js';
import type { EvalAgent } from '../../rl/robustness/policy.js';
import { ALGOS as TRPO_ALGOS } from '../../rl/trpo/config.js';
import type { EpsScale } from '../../rl/smoothness/scaled-ball.js';
import { version } from '../../version.js';
import type { ReplayResponse, RunSummary } from '../api-types.js';
import { checkReplayAgent, checkReplayOptions, replayEpisodes } from '../replay-episodes.js';

/** The URL of a file of run `run` under the server's /files/. */
function fileUrl(run: string, path: string): string {
  const parts = [...(run === '.' ? [] : run.split('/')), ...path.split('/')];
  return `/files/${parts.map(encodeURIComponent).join('/')}`;
}

async function fetchBytes(run: string, path: string): Promise<Uint8Array> {
  const res = await fetch(fileUrl(run, path));
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    throw new Error(`${run}/${path}: ${body?.error ?? `HTTP ${res.status}`}`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

const fetchText = async (run: string, path: string): Promise<string> =>
  new TextDecoder().decode(await fetchBytes(run, path));

/** The newest checkpoint's agent, as `sr2l eval` loads it for runs `sr2l train` wrote. */
async function fetchAgent(run: RunSummary): Promise<EvalAgent> {
  const trpo = (TRPO_ALGOS as readonly string[]).includes(run.algo);
  if (!trpo && !(DDPG_ALGOS as readonly string[]).includes(run.algo))
    throw new Error(
      `${run.id}: the page replays runs written by sr2l train (${[...TRPO_ALGOS, ...DDPG_ALGOS].join(', ')}); this run's algorithm is '${run.algo}'`,
    );
  const record = JSON.parse(await fetchText(run.id, 'config.json')) as { config?: AgentSettings };
  if (!record.config) throw new Error(`${run.id}/config.json: no 'config' object`);
  const latest = `${CHECKPOINTS}/${LATEST}`;
  const folder = `${CHECKPOINTS}/${checkpointName(latestIteration(await fetchText(run.id, latest), `${run.id}/${latest}`))}`;
  const files: CheckpointFiles = {
    where: `${run.id}/${folder}`,
    read: (name) => fetchBytes(run.id, `${folder}/${name}`),
  };
  return trpo ? trpoCheckpointAgent(record.config, files) : ddpgCheckpointAgent(record.config, files);
}

/** Whether this browser could run WebGPU: navigator.gpu and an adapter (headless Chromium has neither or no adapter). */
async function webgpuHere(): Promise<string> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return 'not in this browser';
  const adapter = await gpu.requestAdapter().catch(() => null);
  return adapter ? 'available, not used (eval computes on the CPU)' : 'no adapter in this browser';
}

/** Where the page runs the engine, in words (shown with the returns). */
export async function pageBackend(): Promise<string> {
  const b = getDefaultBackend() as { name: string; kernels?: string };
  const kernels = b.kernels ? ` (${b.kernels} kernels)` : '';
  return `this page: sr2l ${version}, ${b.name} backend${kernels}; WebGPU ${await webgpuHere()}`;
}

/** `query`: attack, eps, epsScale, episodes, episode and optionally seed (as /api/replay takes them). */
export async function replayInPage(run: RunSummary, query: Record<string, string>): Promise<ReplayResponse> {
  const settings = checkReplayOptions(
    {
      attack: query.attack ?? '',
      eps: Number(query.eps),
      episodes: Number(query.episodes),
      episode: Number(query.episode ?? 0),
      ...(query.seed ? { seed: Number(query.seed) } : {}),
      stochastic: query.stochastic === '1',
      epsScale: (query.epsScale ?? 'raw') as EpsScale,
    },
    run.seed,
  );
  const agent = await fetchAgent(run);
  checkReplayAgent(agent, settings, run.id);
  return replayEpisodes(agent, run.id, run.env, settings, await pageBackend());
}
