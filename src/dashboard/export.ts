/**
 * `sr2l dashboard --export FILE.html`: the runs table, curves and robustness figures as one
 * HTML file holding the page's bundle and the data (every run's progress.csv and eval
 * results), for a paper's supplement. It opens offline; the gradient inspector and the
 * loss graph need the server and are not in it.
 */
import { writeFileAtomic } from '../util/atomic-write.js';
import type { ExportedData, TableResponse } from './api-types.js';
import { appBundle } from './bundle.js';
import { summarizeRuns } from './discover.js';
import { exportedPage } from './page.js';
import { allRobustness, runTable } from './run-data.js';
import { realFolder } from './safe-path.js';

export async function exportData(folder: string): Promise<ExportedData> {
  const root = await realFolder(folder);
  const runs = await summarizeRuns(root);
  const progress: Record<string, TableResponse> = {};
  for (const r of runs.runs) progress[r.id] = await runTable(root, r.id, 'progress');
  return {
    runs,
    progress,
    robustness: await allRobustness(root, runs.runs),
    createdAt: new Date().toISOString(),
  };
}

/** Writes the page (atomically); returns its size in bytes and the number of runs in it. */
export async function exportDashboard(
  folder: string,
  file: string,
): Promise<{ bytes: number; runs: number }> {
  const data = await exportData(folder);
  const html = new TextEncoder().encode(exportedPage(await appBundle(), data, data.runs.folder));
  await writeFileAtomic(file, html);
  return { bytes: html.length, runs: data.runs.runs.length };
}
