/** Small git repositories for the tests of `sr2l sweep keep` (runs/ ignored, as in ours). */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8' });

/**
 * Makes `root` a repository with one commit that ignores runs/; with `staged`, the user also
 * has a change staged in staged.txt (which commits of kept runs must leave alone).
 */
export async function initRepo(root: string, opts: { staged?: boolean } = {}): Promise<void> {
  git(root, 'init', '--quiet');
  git(root, 'config', 'user.email', 't@example.com');
  git(root, 'config', 'user.name', 't');
  await writeFile(join(root, '.gitignore'), 'runs/\n');
  await writeFile(join(root, 'staged.txt'), 'x');
  git(root, 'add', '.gitignore', 'staged.txt');
  git(root, 'commit', '--quiet', '-m', 'init');
  if (!opts.staged) return;
  await writeFile(join(root, 'staged.txt'), 'changed');
  git(root, 'add', 'staged.txt');
}
