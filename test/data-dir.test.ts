import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { preparePrivateDataDir } from '../src/data-dir.js';
import { openDatabase } from '../src/store/db.js';

const made: string[] = [];
const temp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-mode-'));
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe(preparePrivateDataDir.name, () => {
  it('creates a missing folder for this account only', () => {
    const dir = path.join(temp(), 'data');
    expect(preparePrivateDataDir(dir)).toEqual({ ok: true });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses a folder others can enter, and says which chmod fixes it', () => {
    const dir = temp();
    fs.chmodSync(dir, 0o755);
    const result = preparePrivateDataDir(dir);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toContain(`chmod 700 '${dir}'`);
    fs.chmodSync(dir, 0o750);
    expect(preparePrivateDataDir(dir).ok).toBe(false);
  });

  it('accepts a private folder as it is', () => {
    expect(preparePrivateDataDir(temp())).toEqual({ ok: true });
  });
});

describe('the embedded database files', () => {
  it('are readable by this account only once the database is open', async () => {
    const dir = temp();
    const database = await openDatabase({ kind: 'pglite', dataDir: dir });
    await database.close();
    const reopened = await openDatabase({ kind: 'pglite', dataDir: dir });
    await reopened.close();
    const modes = fs.readdirSync(path.join(dir, 'pgdata'), { recursive: true, withFileTypes: true }).map((e) => fs.lstatSync(path.join(e.parentPath, e.name)).mode & 0o077);
    expect(modes.length).toBeGreaterThan(100);
    expect(modes.filter((m) => m !== 0)).toEqual([]);
  });
});
