import { randomBytes } from 'node:crypto';
import { link, open, unlink } from 'node:fs/promises';

/**
 * Writes a file that must not exist yet, atomically: the content goes to a
 * temporary name with its final mode, is flushed, then hard-linked into place.
 * link() fails with EEXIST rather than overwrite, so two processes
 * bootstrapping at once cannot clobber each other's CA key.
 */
export async function writeNewFile(path: string, content: string, mode: number): Promise<void> {
  const temporaryPath = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporaryPath, 'wx', mode);
  try {
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temporaryPath, path);
  } catch (cause) {
    throw new Error(`writing ${path}`, { cause });
  } finally {
    await unlink(temporaryPath);
  }
}
