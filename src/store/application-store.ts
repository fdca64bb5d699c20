import { eq } from 'drizzle-orm';
import type { ApplicationKind, ApplicationState } from '../domain/application-state.js';
import type { Db, Tx } from './db.js';
import { applications, type RegistrationJson } from './schema/tables.js';

export interface NewApplication {
  id: string;
  kind: ApplicationKind;
  acceptanceNumber: string;
  submissionKey: string;
  subscriberId: string | null;
  renewsCertificateId: string | null;
  couponId: string;
  email: string;
  registration: RegistrationJson;
  passwordHash: string;
  provisionalAt: Date;
  finalAt: Date;
}

export interface ApplicationRow {
  id: string;
  kind: ApplicationKind;
  state: ApplicationState;
  acceptanceNumber: string;
  email: string;
  provisionalAt: Date;
  finalAt: Date;
  renewsCertificateId: string | null;
}

const applicationColumns = {
  id: applications.id,
  kind: applications.kind,
  state: applications.state,
  acceptanceNumber: applications.acceptanceNumber,
  email: applications.email,
  provisionalAt: applications.provisionalAt,
  finalAt: applications.finalAt,
  renewsCertificateId: applications.renewsCertificateId,
};

export async function insertProvisionalApplication(tx: Tx, a: NewApplication): Promise<ApplicationRow> {
  const [row] = await tx
    .insert(applications)
    .values({ ...a, state: 'provisional' })
    .returning(applicationColumns);
  if (row === undefined) throw new Error('application insert returned no row');
  return row;
}

export async function findApplicationBySubmissionKey(db: Db | Tx, submissionKey: string): Promise<ApplicationRow | undefined> {
  const [row] = await db.select(applicationColumns).from(applications).where(eq(applications.submissionKey, submissionKey));
  return row;
}

export async function findApplicationById(db: Db | Tx, id: string): Promise<ApplicationRow | undefined> {
  const [row] = await db.select(applicationColumns).from(applications).where(eq(applications.id, id));
  return row;
}
