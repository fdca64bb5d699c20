import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateDatabase, openDatabase, type Database, type DatabaseTarget, type OpenDatabaseOptions } from '../../src/store/db.js';

export interface TestDatabase extends Database {
  target: DatabaseTarget;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new
 * database on the PostgreSQL server named by TEST_DATABASE_URL (CI runs both).
 */
export async function createTestDatabase(options: OpenDatabaseOptions = {}): Promise<TestDatabase> {
  // Tests choose their database from the environment (CI runs them on both).
  const serverUrl = process.env['TEST_DATABASE_URL'];
  if (serverUrl === undefined || serverUrl === '') {
    const target: DatabaseTarget = { kind: 'pglite', dataDir: undefined };
    const database = await openDatabase(target, options);
    await migrateDatabase(target, database);
    return { ...database, target };
  }
  const name = `certdesk_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const target: DatabaseTarget = { kind: 'postgres', url: url.toString() };
  const database = await openDatabase(target, options);
  await migrateDatabase(target, database);
  return {
    ...database,
    target,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

export const isOnPostgresServer = (): boolean => (process.env['TEST_DATABASE_URL'] ?? '') !== '';
