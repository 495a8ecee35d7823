/**
 * The replay computed in this page: the run's config.json and the chosen checkpoint's files
 * (default the newest, as checkpoints/latest.json names it) are fetched through the server's
 * read-only /files/, the agent is rebuilt with the trainers' own networks
 * (rl/robustness/checkpoint-agent.ts) and the clean and attacked episodes run here, MuJoCo
 * (mujoco-js, loaded on the first replay) and the policy (sr2l's engine) included, exactly
 * as `sr2l eval --iteration` runs them (dashboard/replay-episodes.ts). The engine runs on the
 * backend chosen (replay-backend.ts): the CPU backend with its WebAssembly SIMD kernels by
 * default, the backend `sr2l eval` uses, so the returns are eval's bit for bit; WebGPU where
 * the browser has an adapter, within float32 rounding. mujoco-js (11 MB) is a chunk of the
 * bundle that the first replay loads.
 */
import type { Backend } from '../../kernels/backend.js';
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
import { type ReplayBackendName, replayBackend, withReplayBackend } from './replay-backend.js';

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

/** Checkpoint `iteration`'s agent (default the newest), as `sr2l eval` loads it for runs `sr2l train` wrote. */
async function fetchAgent(run: RunSummary, iteration: number | undefined): Promise<[number, EvalAgent]> {
  const trpo = (TRPO_ALGOS as readonly string[]).includes(run.algo);
  if (!trpo && !(DDPG_ALGOS as readonly string[]).includes(run.algo))
    throw new Error(
      `${run.id}: the page replays runs written by sr2l train (${[...TRPO_ALGOS, ...DDPG_ALGOS].join(', ')}); this run's algorithm is '${run.algo}'`,
    );
  const record = JSON.parse(await fetchText(run.id, 'config.json')) as { config?: AgentSettings };
  if (!record.config) throw new Error(`${run.id}/config.json: no 'config' object`);
  const latest = `${CHECKPOINTS}/${LATEST}`;
  const it = iteration ?? latestIteration(await fetchText(run.id, latest), `${run.id}/${latest}`);
  const folder = `${CHECKPOINTS}/${checkpointName(it)}`;
  const files: CheckpointFiles = {
    where: `${run.id}/${folder}`,
    read: (name) => fetchBytes(run.id, `${folder}/${name}`),
  };
  return [
    it,
    await (trpo ? trpoCheckpointAgent(record.config, files) : ddpgCheckpointAgent(record.config, files)),
  ];
}

/** Where the page runs the engine, in words (shown with the returns). */
export function pageBackend(b: Backend): string {
  const { kernels, report } = b as { kernels?: string; report?: { description?: string } };
  const detail = kernels ? ` (${kernels} kernels)` : report?.description ? ` (${report.description})` : '';
  return `this page: sr2l ${version}, ${b.name} backend${detail}`;
}

/**
 * `query`: iteration (default the newest), backend (cpu or webgpu, default cpu), attack,
 * eps, epsScale, episodes, episode and optionally seed (as /api/replay takes them).
 */
export async function replayInPage(run: RunSummary, query: Record<string, string>): Promise<ReplayResponse> {
  const settings = checkReplayOptions(
    {
      ...(query.iteration ? { iteration: Number(query.iteration) } : {}),
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
  const backend = await replayBackend((query.backend ?? 'cpu') as ReplayBackendName);
  return withReplayBackend(backend, async () => {
    const [iteration, agent] = await fetchAgent(run, settings.iteration);
    checkReplayAgent(agent, settings, run.id);
    return replayEpisodes(agent, run.id, iteration, run.env, settings, pageBackend(backend));
  });
}
