import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAttempt, deleteStaleRateLimits } from '../../src/store/rate-limit-store.js';
import { deleteExpiredSessions, loadSession, storeSession } from '../../src/store/session-store.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const at = (iso: string) => new Date(iso);

describe(deleteExpiredSessions.name, () => {
  it('removes sessions past their expiry and keeps the others', async () => {
    await storeSession(database.db, { idHash: 'old', replacesIdHash: undefined, data: { csrf: 'a' }, createdAt: at('2026-11-27T00:00:00Z'), expiresAt: at('2026-11-27T00:30:00Z') });
    await storeSession(database.db, { idHash: 'live', replacesIdHash: undefined, data: { csrf: 'b' }, createdAt: at('2026-11-27T00:20:00Z'), expiresAt: at('2026-11-27T00:50:00Z') });
    expect(await deleteExpiredSessions(database.db, at('2026-11-27T00:40:00Z'))).toBe(1);
    expect((await loadSession(database.db, 'live', at('2026-11-27T00:40:00Z')))?.data).toEqual({ csrf: 'b' });
    expect(await loadSession(database.db, 'old', at('2026-11-27T00:10:00Z'))).toBeUndefined();
  });
});

describe(deleteStaleRateLimits.name, () => {
  it('removes counters whose window started before the cut-off', async () => {
    await countAttempt(database.db, 'k:old', at('2026-11-25T00:00:00Z'), 60_000);
    await countAttempt(database.db, 'k:new', at('2026-11-27T00:00:00Z'), 60_000);
    expect(await deleteStaleRateLimits(database.db, at('2026-11-26T00:00:00Z'))).toBe(1);
    expect(await countAttempt(database.db, 'k:new', at('2026-11-27T00:00:30Z'), 60_000)).toBe(2);
  });
});
