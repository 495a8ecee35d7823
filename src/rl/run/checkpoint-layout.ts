/**
 * Where a run folder keeps its checkpoints (the protocol is in checkpoint.ts): names only, no
 * file access, so the dashboard's page finds the newest checkpoint through the server too.
 */
export const CHECKPOINTS = 'checkpoints';
/** `{"iteration": K}`: the newest complete checkpoint */
export const LATEST = 'latest.json';

/** The folder (inside CHECKPOINTS) of iteration `iteration`'s checkpoint. */
export const checkpointName = (iteration: number): string => `iter-${String(iteration).padStart(6, '0')}`;

/** The iteration latest.json's text names; `where` names the file in errors. */
export function latestIteration(text: string, where: string): number {
  const latest = JSON.parse(text) as { iteration: number };
  if (!Number.isInteger(latest.iteration)) throw new Error(`${where}: no integer 'iteration'`);
  return latest.iteration;
}

/** The iterations of the complete checkpoint folders among `names` (iter-NNNNNN), newest first. */
export function checkpointIterations(names: readonly string[]): number[] {
  return names
    .map((n) => /^iter-(\d+)$/.exec(n))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
}
