import fs from 'node:fs';

/**
 * DATA_DIR holds the embedded database, the CA key files and the demo credentials: only
 * the account that runs certdesk may enter it (issue #6 defect 11). A folder we create is
 * 0700; one that exists already must not be open to group or others, and we say how to
 * fix it rather than tighten someone else's folder behind their back.
 */
export function preparePrivateDataDir(dir: string): { ok: true } | { ok: false; problem: string } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return { ok: true };
  }
  if (!stat.isDirectory()) return { ok: false, problem: `DATA_DIR ${dir} is not a folder` };
  const openBits = stat.mode & 0o077;
  if (openBits !== 0) {
    return {
      ok: false,
      problem: `DATA_DIR ${dir} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}); it holds the database and the CA keys. Run: chmod 700 '${dir.replace(/'/g, "'\\''")}'`,
    };
  }
  return { ok: true };
}
