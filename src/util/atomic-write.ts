/**
 * Atomic file writes: the bytes go to a temporary file in the same directory, are synced
 * to disk, and the temporary file is renamed over the target. Readers see the old file
 * or the new one, never a partial one; on failure the temporary file is removed.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;

export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  const fh = await open(tmp, 'wx');
  try {
    try {
      for (let done = 0; done < data.length;) {
        const { bytesWritten } = await fh.write(data, done, data.length - done);
        done += bytesWritten;
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dirname(path));
}

/** Makes the rename itself durable; directories cannot be opened on every platform, hence best effort. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // not supported here (Windows): the data itself is already synced
  }
}
