/**
 * Tolerant reading of the CSV logs a run appends to (progress.csv, grads.csv): unlike the
 * report's parser, which refuses a bad file, the dashboard reads files while trainers write
 * them. A last line without its newline is a row being written and is left out; a row with
 * the wrong number of fields is skipped; both are reported in `problems` for the page to show.
 * Empty cells are NaN (CsvLog writes NaN so). Pure: used by the server and the page.
 */

export interface CsvTable {
  header: string[];
  /** numeric rows, each as long as the header */
  rows: number[][];
  /** what was skipped or odd, one sentence each */
  problems: string[];
}

export function parseCsvTable(text: string, source: string): CsvTable {
  const problems: string[] = [];
  const lines = text.split('\n');
  // text ending in '\n' leaves one empty string; anything else there is a line still being written
  const partial = lines.pop();
  if (partial !== undefined && partial.trim() !== '') {
    if (lines.length === 0) return { header: [], rows: [], problems: [`${source}: header not complete yet`] };
    problems.push(`${source}: last line is incomplete (still being written?) and was left out`);
  }
  const nonEmpty = lines.map((l, i) => ({ l: l.replace(/\r$/, ''), n: i + 1 })).filter((x) => x.l.trim());
  if (nonEmpty.length === 0) {
    problems.push(`${source}: empty file, expected a header line`);
    return { header: [], rows: [], problems };
  }
  const header = nonEmpty[0]!.l.split(',').map((h) => h.trim());
  const rows: number[][] = [];
  const badCells = new Map<string, number>();
  for (const { l, n } of nonEmpty.slice(1)) {
    const cells = l.split(',');
    if (cells.length !== header.length) {
      problems.push(
        `${source}: line ${n} has ${cells.length} fields, the header has ${header.length}; skipped`,
      );
      continue;
    }
    rows.push(
      cells.map((c, j) => {
        const s = c.trim();
        if (s === '') return NaN;
        const v = Number(s);
        if (Number.isNaN(v)) badCells.set(header[j]!, (badCells.get(header[j]!) ?? 0) + 1);
        return v;
      }),
    );
  }
  for (const [col, k] of badCells) problems.push(`${source}: ${k} non-numeric value(s) in column '${col}'`);
  return { header, rows, problems };
}

/** One column of a table as numbers (undefined when the table has no such column). */
export function column(table: CsvTable, name: string): number[] | undefined {
  const j = table.header.indexOf(name);
  return j < 0 ? undefined : table.rows.map((r) => r[j]!);
}
