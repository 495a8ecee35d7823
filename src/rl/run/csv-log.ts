/**
 * An append-only CSV log with one row per iteration (progress.csv, grads.csv), in the
 * format garage and SB3 write. NaN is written as an empty cell. On resume the rows after
 * the checkpoint's iteration are dropped (atomically) before new rows are appended.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../../util/atomic-write.js';

export class CsvLog {
  constructor(
    readonly path: string,
    readonly columns: readonly string[],
  ) {}

  /** Starts a fresh file holding only the header. */
  async create(): Promise<void> {
    await writeFileAtomic(this.path, new TextEncoder().encode(this.columns.join(',') + '\n'));
  }

  async append(row: Record<string, number | string>): Promise<void> {
    const cells = this.columns.map((c) => format(row[c]));
    await appendFile(this.path, cells.join(',') + '\n');
  }

  /** Keeps the header and the rows whose first column (the iteration) is ≤ `iteration`. */
  async truncateAfter(iteration: number): Promise<void> {
    if (!existsSync(this.path)) return this.create();
    const lines = (await readFile(this.path, 'utf8')).split('\n').filter((l) => l !== '');
    const header = lines[0] ?? this.columns.join(',');
    if (header !== this.columns.join(',')) {
      throw new Error(`${this.path}: unexpected header (expected ${this.columns.join(',')})`);
    }
    const kept = lines.slice(1).filter((l) => Number(l.split(',')[0]) <= iteration);
    await writeFileAtomic(this.path, new TextEncoder().encode([header, ...kept].join('\n') + '\n'));
  }
}

function format(v: number | string | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return Number.isNaN(v) ? '' : String(v);
}

/** Parses a CSV written by CsvLog (numbers; empty cells become NaN). */
export function parseCsv(text: string): Record<string, number>[] {
  const [head, ...rows] = text.split('\n').filter((l) => l !== '');
  const cols = head!.split(',');
  return rows.map((r) => {
    const cells = r.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] === '' ? NaN : Number(cells[i])]));
  });
}
