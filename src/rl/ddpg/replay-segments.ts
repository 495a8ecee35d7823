/**
 * A run's replay buffer on disk as append-only segments, `replay/rows-<from>-<to>.safetensors`
 * holding transitions number from … to − 1 (counted from the run's first). Each checkpoint
 * writes only what was added since the previous one, so a checkpoint every iteration costs
 * kilobytes rather than the whole buffer (up to 10⁶ transitions), and every checkpoint whose
 * transitions are still on disk can be resumed. Segments older than the buffer's capacity
 * are deleted as the ring overwrites them, once the previous checkpoint no longer needs them.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as sr from '../../autograd/index.js';
import { loadSafetensors, saveSafetensors } from '../../nn/safetensors-file.js';
import type { ReplayBuffer, ReplayBufferState, ReplayColumn } from './replay-buffer.js';

const NAME = /^rows-(\d{10})-(\d{10})\.safetensors$/;
const pad = (n: number): string => String(n).padStart(10, '0');

interface Segment {
  from: number;
  to: number;
  file: string;
}

async function segments(folder: string): Promise<Segment[]> {
  if (!existsSync(folder)) return [];
  const found: Segment[] = [];
  for (const file of await readdir(folder)) {
    const m = NAME.exec(file);
    if (m) found.push({ from: Number(m[1]), to: Number(m[2]), file: join(folder, file) });
  }
  return found.sort((a, b) => a.from - b.from || a.to - b.to);
}

/**
 * Writes transitions `from` … buffer.totalAdded − 1 to `folder` (nothing when none are new)
 * and returns the number to pass as `from` next time. Segments from `from` on are left over
 * from a run that went past this point before it was resumed from an earlier checkpoint;
 * they are removed first, so the files always describe one history.
 */
export async function writeReplaySegment(
  folder: string,
  buffer: ReplayBuffer,
  from: number,
  meta: Record<string, string> = {},
): Promise<number> {
  await mkdir(folder, { recursive: true });
  for (const s of await segments(folder)) {
    const stale = s.to > from;
    // kept while the previous checkpoint (at `from`) needs it: resume falls back to that one
    // when the newest is corrupt (run/checkpoint.ts)
    const overwritten = s.to <= from - buffer.capacity;
    if (stale || overwritten) await rm(s.file, { force: true });
  }
  const to = buffer.totalAdded;
  if (to === from) return to;
  const cols = buffer.rowsSince(from);
  const tensors = Object.fromEntries(
    Object.entries(cols).map(([k, v]) => [k, sr.tensor(v, { shape: [v.length] })]),
  );
  await saveSafetensors(join(folder, `rows-${pad(from)}-${pad(to)}.safetensors`), tensors, meta);
  return to;
}

/**
 * Fills `buffer` with the transitions `state` says it held (numbers state.added − state.size
 * to state.added − 1) from the segments in `folder`; names the first missing one if the
 * files do not cover them.
 */
export async function readReplaySegments(
  folder: string,
  buffer: ReplayBuffer,
  state: ReplayBufferState,
): Promise<void> {
  const first = state.added - state.size;
  const widths = buffer.widths;
  const cols = buffer.emptyColumns(state.size);
  let next = first;
  for (const s of await segments(folder)) {
    if (next >= state.added) break;
    if (s.to <= next || s.from > next) continue;
    const { tensors } = await loadSafetensors(s.file);
    const upto = Math.min(s.to, state.added);
    for (const [k, w] of Object.entries(widths) as [ReplayColumn, number][]) {
      const t = tensors.get(k);
      if (!t || t.size !== (s.to - s.from) * w)
        throw new Error(`${s.file}: column '${k}' must hold ${(s.to - s.from) * w} values`);
      const data = await t.data();
      cols[k].set(data.subarray((next - s.from) * w, (upto - s.from) * w), (next - first) * w);
    }
    next = upto;
  }
  if (next < state.added)
    throw new Error(
      `${folder}: the replay segments do not hold transition ${next} (the checkpoint needs ${first} to ${state.added - 1})`,
    );
  buffer.loadRows(state, cols, folder);
}
