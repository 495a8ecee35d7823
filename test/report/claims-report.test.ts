// `sr2l report claims`: the claims of several sweeps in one file, each line labelled with
// its sweep, and the claims that reached a verdict listed first.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { reportClaims } from '../../src/report/claims-report.js';
import { captureConsole } from '../helpers/console.js';

let tmp: string;
// per sweep: final returns of 5 seeds per algorithm (one iteration each)
const SWEEPS: Record<string, Record<string, number[]>> = {
  clear: { trpo: [100, 110, 120, 130, 140], 'trpo-sr': [200, 210, 220, 230, 240] },
  unclear: { trpo: [100, 300, 200, 150, 250], 'trpo-sr': [110, 290, 210, 140, 260] },
  alone: { trpo: [1, 2, 3, 4, 5] },
  // two seeds each: claims with no verdict possible ('too few'), kept out of Holm's family
  few: { trpo: [1, 2], 'trpo-sr': [30, 40] },
};

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sr2l-claims-report-'));
  for (const [name, algos] of Object.entries(SWEEPS)) {
    const runs = [];
    for (const [algo, finals] of Object.entries(algos))
      for (const [seed, f] of finals.entries()) {
        const id = `Hopper-v2/${algo}/default/seed-${seed}`;
        await mkdir(join(tmp, name, id), { recursive: true });
        await writeFile(join(tmp, name, id, 'progress.csv'), `Iteration,AverageReturn\n1,${f}\n`);
        await writeFile(join(tmp, name, id, 'sweep-done.json'), '{}');
        runs.push({ id, env: 'Hopper-v2', algo, setting: 'default', seed });
      }
    await writeFile(join(tmp, name, 'sweep.json'), JSON.stringify({ config: { name }, runs }));
  }
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

describe('sr2l report claims', () => {
  test('one line per sweep and comparison; the verdicts reached are listed first', async () => {
    const out = join(tmp, 'out', 'claims.md');
    const { claims } = await reportClaims([join(tmp, 'clear'), join(tmp, 'unclear')], {
      out,
      resamples: 2000,
      seed: 0,
      provenance: ['written by the test'],
    });
    // mean, spread and worst case per sweep (no evaluations, so no decline claims)
    expect(claims.map((c) => [c.sweep, c.kind])).toEqual([
      ['clear', 'mean'],
      ['clear', 'spread'],
      ['clear', 'worst case'],
      ['unclear', 'mean'],
      ['unclear', 'spread'],
      ['unclear', 'worst case'],
    ]);
    const md = await readFile(out, 'utf8');
    expect(md).toContain('> written by the test');
    // +100 for every resample: held; the 10th percentile moves by 100 too
    const decided = md.slice(md.indexOf('## Claims that reached a verdict'), md.indexOf('## Every claim'));
    expect(decided).toContain('- clear, Hopper-v2, trpo-sr vs trpo, mean final return: held (+100 [');
    expect(decided).toContain(
      '- clear, Hopper-v2, trpo-sr vs trpo, 10th percentile of final return: held (+100 [',
    );
    expect(decided).not.toContain('unclear,');
    expect(md).toMatch(/\| sweep \| env \| comparison \| mean \(SR − base; claim > 0\) \|/);
    expect(md).toMatch(/\| clear \| Hopper-v2 \| trpo-sr vs trpo \| held \(\+100 \[/);
    expect(md).toMatch(/\| unclear \| Hopper-v2 \| trpo-sr vs trpo \| no clear difference \(\+2 \[/);
  });

  test("Holm's correction over every claim's permutation p-value: each verdict says whether it survives", async () => {
    const out = join(tmp, 'out', 'holm.md');
    const { claims: all, decided } = await reportClaims(
      [join(tmp, 'clear'), join(tmp, 'unclear'), join(tmp, 'few')],
      { out, resamples: 2000, seed: 0 },
    );
    expect(all.filter((c) => c.sweep === 'few').map((c) => c.verdict)).toEqual([
      'too few',
      'too few',
      'too few',
    ]);
    const claims = all.filter((c) => c.sweep !== 'few');
    // Holm by hand: sorted ascending, the i-th (from 0) times m − i, running maximum, at most 1
    const ps = claims.map((c) => c.p);
    expect(ps.every((p) => p > 0 && p <= 1)).toBe(true);
    const order = ps.map((_, i) => i).sort((i, j) => ps[i]! - ps[j]!);
    const holm = new Array<number>(ps.length);
    let running = 0;
    order.forEach((i, rank) => {
      running = Math.max(running, Math.min(1, (ps.length - rank) * ps[i]!));
      holm[i] = running;
    });
    const fmtP = (p: number): string => (p < 1e-4 ? '< 0.0001' : p.toFixed(4));
    const md = await readFile(out, 'utf8');
    expect(md).toContain(
      `about 0.3 of the ${claims.length} tested (those with enough seeds for a verdict) would reach a verdict by chance alone`,
    );
    let surviving = 0;
    for (const c of decided) {
      const adjusted = holm[claims.indexOf(c)]!;
      if (adjusted < 0.05) surviving++;
      expect(md).toMatch(
        new RegExp(
          `${c.measure}: .*; permutation p ${c.p < 1e-4 ? '<' : '='} ${fmtP(c.p).replace('< ', '')}, Holm-adjusted ${fmtP(adjusted)} \\(${adjusted < 0.05 ? 'survives' : 'does not survive'}\\)`,
        ),
      );
    }
    expect(md).toContain(`**${surviving} of the ${decided.length} verdicts survive it**`);
    // the separated groups: 2 of the 252 splits of 5 + 5 seeds are as far apart as they are
    const mean = claims.find((c) => c.sweep === 'clear' && c.kind === 'mean')!;
    expect(mean.p).toBeGreaterThan(0.002);
    expect(mean.p).toBeLessThan(0.02);
  });

  test('the CLI: a sweep without a baseline pair alone is refused; --out is required', async () => {
    const log = captureConsole().all;
    try {
      const out = join(tmp, 'cli.md');
      expect(
        await main([
          'report',
          'claims',
          join(tmp, 'clear'),
          join(tmp, 'alone'),
          '--out',
          out,
          '--resamples',
          '100',
        ]),
      ).toBe(0);
      expect(log()).toMatch(/wrote .*cli\.md: 3 claims, 2 with a verdict/);
      expect(await main(['report', 'claims', join(tmp, 'alone'), '--out', out])).toBe(2);
      expect(log()).toMatch(/no claim to check in .*alone: a claim needs an SR variant and its baseline/);
      expect(await main(['report', 'claims', join(tmp, 'clear')])).toBe(2);
      expect(log()).toContain('report claims: --out FILE.md is required');
      expect(await main(['report', 'claims', join(tmp, 'nope'), '--out', out])).toBe(2);
      expect(log()).toMatch(/not a sweep folder/);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
