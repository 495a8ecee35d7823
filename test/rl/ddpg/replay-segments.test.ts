/**
 * Replay segments: the buffer written a piece per checkpoint and read back lands every
 * transition in the row it had, across wrap-around; stale and overwritten segments are
 * removed; a missing piece is named.
 */
import { mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReplayBuffer } from '../../../src/rl/ddpg/replay-buffer.js';
import { readReplaySegments, writeReplaySegment } from '../../../src/rl/ddpg/replay-segments.js';

const root = mkdtempSync(join(tmpdir(), 'sr2l-replay-seg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const make = (): ReplayBuffer => new ReplayBuffer({ capacity: 7, obsDim: 2, actDim: 1 });
const add = (b: ReplayBuffer, k: number): void => b.add([k, -k], [k / 10], k * 2, [k + 0.5, 1], k % 3 === 0);
const rowsOf = (b: ReplayBuffer) => Array.from({ length: b.size }, (_, i) => b.row(i));

describe('replay segments', () => {
  it('round-trips a buffer written in pieces, across wrap-around', async () => {
    const folder = join(root, 'wrap');
    const b = make();
    let saved = 0;
    for (const n of [3, 2, 4, 3]) {
      for (let k = 0; k < n; k++) add(b, b.totalAdded);
      saved = await writeReplaySegment(folder, b, saved);
      const c = make();
      await readReplaySegments(folder, c, b.getState());
      expect(c.getState()).toEqual(b.getState());
      expect(rowsOf(c)).toEqual(rowsOf(b));
    }
    expect(saved).toBe(12);
    // the ring overwrote transitions 0-4 (12 added, capacity 7), but the previous checkpoint
    // (9 added) still needs 2-8, so its segments stay until the next save
    expect(readdirSync(folder).sort()).toEqual([
      'rows-0000000000-0000000003.safetensors',
      'rows-0000000003-0000000005.safetensors',
      'rows-0000000005-0000000009.safetensors',
      'rows-0000000009-0000000012.safetensors',
    ]);
    for (let k = 0; k < 2; k++) add(b, b.totalAdded);
    await writeReplaySegment(folder, b, saved);
    // now the previous checkpoint holds 12 and needs 5-11
    expect(readdirSync(folder).sort()).toEqual([
      'rows-0000000005-0000000009.safetensors',
      'rows-0000000009-0000000012.safetensors',
      'rows-0000000012-0000000014.safetensors',
    ]);
  });

  it('restores an earlier state from segments that run past it', async () => {
    const folder = join(root, 'earlier');
    const b = make();
    for (let k = 0; k < 4; k++) add(b, k);
    const at4 = b.getState();
    const rows4 = rowsOf(b);
    await writeReplaySegment(folder, b, 0);
    for (let k = 4; k < 6; k++) add(b, k);
    await writeReplaySegment(folder, b, 4);
    const c = make();
    await readReplaySegments(folder, c, at4);
    expect(rowsOf(c)).toEqual(rows4);
  });

  it('a save after resuming from an earlier point drops the abandoned segments', async () => {
    const folder = join(root, 'stale');
    const b = make();
    for (let k = 0; k < 3; k++) add(b, k);
    await writeReplaySegment(folder, b, 0);
    for (let k = 3; k < 6; k++) add(b, k);
    await writeReplaySegment(folder, b, 3); // then the run is killed before its checkpoint lands
    const resumed = make();
    for (let k = 0; k < 3; k++) add(resumed, k);
    for (let k = 3; k < 5; k++) add(resumed, 100 + k); // a different history from 3 on
    await writeReplaySegment(folder, resumed, 3);
    expect(readdirSync(folder).sort()).toEqual([
      'rows-0000000000-0000000003.safetensors',
      'rows-0000000003-0000000005.safetensors',
    ]);
    const c = make();
    await readReplaySegments(folder, c, resumed.getState());
    expect(rowsOf(c)).toEqual(rowsOf(resumed));
  });

  it('names the first transition the files do not hold', async () => {
    const folder = join(root, 'missing');
    const b = make();
    for (let k = 0; k < 2; k++) add(b, k);
    await writeReplaySegment(folder, b, 0);
    for (let k = 2; k < 5; k++) add(b, k);
    await writeReplaySegment(folder, b, 2);
    unlinkSync(join(folder, 'rows-0000000000-0000000002.safetensors'));
    await expect(readReplaySegments(folder, make(), b.getState())).rejects.toThrow(
      /do not hold transition 0 \(the checkpoint needs 0 to 4\)/,
    );
    expect(() => b.rowsSince(7)).toThrow(/transition 7 is not held/);
  });
});
