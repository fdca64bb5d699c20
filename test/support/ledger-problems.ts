import { asc, eq } from 'drizzle-orm';
import { lockedFieldNames } from '../../src/domain/input/registration.js';
import type { Db } from '../../src/store/db.js';
import { applications, auditLog, couponEvents, coupons, outboxMessages, sessions, subscribers } from '../../src/store/schema/tables.js';
import { unescapedMarkers } from './visitor.js';

const tally = <T>(items: readonly T[], keyOf: (t: T) => string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
};

/**
 * Everything that disagrees between coupons, applications, coupon events, the outbox and
 * the audit log: the hardening issue's "no partial write". Each coupon's event chain is
 * unbroken and ends in its state; a locked coupon has exactly one provisional application
 * holding it and one 'locked' event after its last 'available'; every application has its
 * one mail, audit record and coupon event per step; one application per submission key;
 * nothing orphaned; no mail shows our markup unescaped; a renewal carries its subscriber's
 * names, whatever was posted. An empty list means the ledger is whole.
 */
export async function ledgerProblems(db: Db): Promise<string[]> {
  const couponRows = await db.select({ id: coupons.id, state: coupons.state, applicationId: coupons.applicationId }).from(coupons);
  const appRows = await db
    .select({ id: applications.id, state: applications.state, kind: applications.kind, couponId: applications.couponId, submissionKey: applications.submissionKey, subscriberId: applications.subscriberId, registration: applications.registration })
    .from(applications);
  const events = await db
    .select({ couponId: couponEvents.couponId, fromState: couponEvents.fromState, toState: couponEvents.toState, applicationId: couponEvents.applicationId })
    .from(couponEvents)
    .orderBy(asc(couponEvents.id));
  const mails = await db.select({ dedupeKey: outboxMessages.dedupeKey, htmlBody: outboxMessages.htmlBody }).from(outboxMessages);
  const audits = await db.select({ action: auditLog.action, subjectId: auditLog.subjectId }).from(auditLog).where(eq(auditLog.subjectType, 'application'));
  const stored = await db.select({ id: subscribers.id, registration: subscribers.registration }).from(subscribers);

  const problems: string[] = [];
  const appById = new Map(appRows.map((a) => [a.id, a]));
  const mailCount = tally(mails, (m) => m.dedupeKey);
  const auditCount = tally(audits, (a) => `${a.action}:${a.subjectId}`);
  const eventCount = tally(events, (e) => `${e.fromState}>${e.toState}:${e.applicationId}`);
  const eventsOf = new Map<string, typeof events>();
  for (const e of events) eventsOf.set(e.couponId, [...(eventsOf.get(e.couponId) ?? []), e]);

  for (const coupon of couponRows) {
    const chain = eventsOf.get(coupon.id) ?? [];
    chain.forEach((e, i) => {
      const expected = i === 0 ? null : chain[i - 1]!.toState;
      if (e.fromState !== expected) problems.push(`coupon ${coupon.id}: event ${i} leaves ${e.fromState}, the chain was at ${expected}`);
    });
    if (chain.at(-1)?.toState !== coupon.state) problems.push(`coupon ${coupon.id} is ${coupon.state}, its events end at ${chain.at(-1)?.toState}`);
    const holders = appRows.filter((a) => a.couponId === coupon.id && a.state === 'provisional');
    if (holders.length > 1) problems.push(`coupon ${coupon.id} held by ${holders.length} provisional applications`);
    if (coupon.state === 'locked') {
      const holder = coupon.applicationId === null ? undefined : appById.get(coupon.applicationId);
      if (holder === undefined) problems.push(`coupon ${coupon.id} locked without an application`);
      else if (holder.state !== 'provisional' || holder.couponId !== coupon.id) problems.push(`coupon ${coupon.id} locked by a ${holder.state} application of coupon ${holder.couponId}`);
      const since = chain.slice(chain.map((e) => e.toState).lastIndexOf('available') + 1);
      if (since.length !== 1 || since[0]?.toState !== 'locked' || since[0].applicationId !== coupon.applicationId) {
        problems.push(`coupon ${coupon.id}: ${since.length} events after its last 'available', not one 'locked' by its holder`);
      }
    } else if (holders.length > 0) {
      problems.push(`coupon ${coupon.id} is ${coupon.state} but application ${holders[0]!.id} is provisional on it`);
    }
    if (coupon.state === 'available' && coupon.applicationId !== null) problems.push(`available coupon ${coupon.id} names application ${coupon.applicationId}`);
  }

  for (const [key, n] of tally(appRows, (a) => a.submissionKey)) if (n > 1) problems.push(`${n} applications for submission key ${key}`);
  for (const app of appRows) {
    const once = (what: string, n: number | undefined) => {
      if (n !== 1) problems.push(`application ${app.id} (${app.state}) has ${n ?? 0} ${what}`);
    };
    once('application.provisional mails', mailCount.get(`application.provisional:${app.id}`));
    once('provisionallyAccepted audit records', auditCount.get(`application.provisionallyAccepted:${app.id}`));
    once("'locked' coupon events", eventCount.get(`available>locked:${app.id}`));
    if (app.state === 'cancelled') {
      once('application.cancelled mails', mailCount.get(`application.cancelled:${app.id}`));
      once('cancelled audit records', auditCount.get(`application.cancelled:${app.id}`));
      once("'released' coupon events", eventCount.get(`locked>available:${app.id}`));
    }
    if (app.kind === 'renewal') {
      const names = stored.find((s) => s.id === app.subscriberId)?.registration;
      for (const field of lockedFieldNames) {
        if (app.registration[field] !== names?.[field]) problems.push(`renewal ${app.id}: ${field} is ${app.registration[field]}, the subscriber's is ${names?.[field]}`);
      }
    }
  }
  for (const mail of mails) {
    const [template = '', id = ''] = mail.dedupeKey.split(':');
    if (template.startsWith('application.') && !appById.has(id)) problems.push(`mail ${mail.dedupeKey} for no application`);
    for (const marker of unescapedMarkers) if (mail.htmlBody.includes(marker)) problems.push(`mail ${mail.dedupeKey} shows ${marker} unescaped`);
  }
  for (const audit of audits) if (!appById.has(audit.subjectId)) problems.push(`audit ${audit.action} for no application ${audit.subjectId}`);
  return problems;
}

/** Every row a refused request must leave as it was: applications, coupon events, mails, audit records, sessions. */
export async function databaseFingerprint(db: Db): Promise<string> {
  const rows = await Promise.all([
    db.select({ id: applications.id, state: applications.state }).from(applications).orderBy(asc(applications.id)),
    db.select({ id: couponEvents.id }).from(couponEvents).orderBy(asc(couponEvents.id)),
    db.select({ id: outboxMessages.id }).from(outboxMessages).orderBy(asc(outboxMessages.id)),
    db.select({ id: auditLog.id }).from(auditLog).orderBy(asc(auditLog.id)),
    db.select({ id: sessions.idHash, data: sessions.data }).from(sessions).orderBy(asc(sessions.idHash)),
  ]);
  return JSON.stringify(rows);
}
