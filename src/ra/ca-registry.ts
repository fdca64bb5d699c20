import type { CaMaterial } from '../ca/bootstrap.js';
import { certificateFingerprint } from '../ca/service-ca.js';
import { ConfigurationProblem } from '../configuration-problem.js';
import { recordCaCertificates, type CaCertificateRow } from '../store/ca-store.js';
import type { Db } from '../store/db.js';

/**
 * Ties the database to one CA (issue #8): the first process records the root and issuing
 * certificate; a process whose CA_DIR holds another CA is refused before it serves, since
 * its certificates would chain to a CA the others do not know.
 */
export async function bindDatabaseToCa(db: Db, material: CaMaterial, now: Date): Promise<void> {
  const ours: CaCertificateRow[] = [
    { role: 'root', sha256: certificateFingerprint(material.root.rawData), subject: material.root.subject, der: new Uint8Array(material.root.rawData) },
    { role: 'issuing', sha256: certificateFingerprint(material.issuing.rawData), subject: material.issuing.subject, der: new Uint8Array(material.issuing.rawData) },
  ];
  const recorded = await recordCaCertificates(db, ours, now);
  for (const mine of ours) {
    const theirs = recorded.find((row) => row.role === mine.role);
    if (theirs === undefined || theirs.sha256 !== mine.sha256) {
      throw new ConfigurationProblem(
        `this database belongs to another CA: its ${mine.role} CA is ${theirs?.subject ?? '(none)'} (SHA-256 ${theirs?.sha256 ?? '-'}), CA_DIR holds ${mine.subject} (SHA-256 ${mine.sha256}). Point CA_DIR at the CA the other processes use.`,
      );
    }
  }
}
