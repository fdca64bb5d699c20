import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelApplication, describeOwnApplication } from '../../src/ra/cancel-application.js';
import { findOwnApplication } from '../../src/ra/find-own-application.js';
import type { RaDeps } from '../../src/ra/deps.js';
import { finaliseDueApplications } from '../../src/ra/finalise-applications.js';
import { submitApplication } from '../../src/ra/submit-application.js';
import { removeMaintenance } from '../../src/ra/remove-maintenance.js';
import { scheduleMaintenance } from '../../src/ra/schedule-maintenance.js';
import { applications, auditLog, couponEvents, coupons, outboxMessages } from '../../src/store/schema/tables.js';
import { validForm } from '../domain/input/fixtures.js';
import { createWorld, type World } from '../support/world.js';

const MINUTE = 60_000;
let world: World;
let deps: RaDeps;
const password = 'cancel-me-42';

beforeAll(async () => {
  world = await createWorld();
  deps = world.ra;
});
afterAll(async () => {
  await world?.close();
});

async function apply(coupon: string, email = 'applicant@example.jp', lang: 'ja' | 'en' = 'ja') {
  const [couponPart1, couponPart2] = coupon.split('-');
  const result = await submitApplication(deps, {
    kind: 'new',
    values: { ...validForm, email, couponPart1: couponPart1!, couponPart2: couponPart2! },
    draftPassword: password,
    submissionKey: randomUUID(),
    lang,
    clientKey: `apply-${randomUUID()}`,
  });
  if (!result.ok) throw new Error(result.code);
  return result.value;
}

const couponState = async (formatted: string) =>
  (await world.database.db.select({ state: coupons.state }).from(coupons).where(eq(coupons.number, formatted.replace('-', ''))))[0]?.state;

describe(cancelApplication.name, () => {
  it('cancels at 59:59 and the same coupon works again at once', async () => {
    const coupon = world.demo.coupons[0]!;
    const application = await apply(coupon);
    expect(await couponState(coupon)).toBe('locked');

    world.clock.advance(59 * MINUTE + 59_000);
    const found = await findOwnApplication(deps, { purpose: 'cancel', acceptanceNumber: application.acceptanceNumber, email: 'APPLICANT@example.jp', password, clientKey: 't1', networkKey: 't1' });
    expect(found.ok && (await describeOwnApplication(deps, found.value.applicationId))?.cancellationRefusal).toBeUndefined();
    const [cancelled, doubleClick] = await Promise.all([
      cancelApplication(deps, { applicationId: application.id, via: 'lookup' }),
      cancelApplication(deps, { applicationId: application.id, via: 'lookup' }),
    ]);
    expect(cancelled.ok).toBe(true);
    expect(doubleClick).toEqual(cancelled); // the second click sees the first one's answer
    expect(await couponState(coupon)).toBe('available');

    const again = await apply(coupon);
    expect(again.id).not.toBe(application.id);
    expect(await couponState(coupon)).toBe('locked');

    const mails = await world.database.db.select({ template: outboxMessages.template }).from(outboxMessages).where(sql`${outboxMessages.dedupeKey} like ${'%' + application.id}`);
    expect(mails.map((m) => m.template).sort()).toEqual(['application.cancelled', 'application.provisional']);
  });

  it('mails in the language the application was made in', async () => {
    const english = await apply(world.demo.coupons[9]!, 'english@example.jp', 'en');
    const [mail] = await world.database.db
      .select({ subject: outboxMessages.subject, textBody: outboxMessages.textBody })
      .from(outboxMessages)
      .where(eq(outboxMessages.dedupeKey, `application.provisional:${english.id}`));
    expect(mail?.subject).toMatch(/provisionally accepted/i);
    expect(mail?.textBody).not.toMatch(/[仮受付]/);
    expect(await cancelApplication(deps, { applicationId: english.id, via: 'lookup' })).toMatchObject({ ok: true });
  });

  it('refuses at 60:01 even though no job has run, and leaves the coupon locked', async () => {
    const coupon = world.demo.coupons[1]!;
    const application = await apply(coupon);
    world.clock.advance(60 * MINUTE + 1000);
    const found = await findOwnApplication(deps, { purpose: 'cancel', acceptanceNumber: application.acceptanceNumber, email: 'applicant@example.jp', password, clientKey: 't2', networkKey: 't2' });
    expect(found.ok && (await describeOwnApplication(deps, found.value.applicationId))?.cancellationRefusal).toBe('final');
    expect(await cancelApplication(deps, { applicationId: application.id, via: 'lookup' })).toEqual({ ok: false, code: 'application.notCancellable' });
    expect(await couponState(coupon)).toBe('locked');
  });

  it('refuses exactly at the hour', async () => {
    const application = await apply(world.demo.coupons[2]!);
    world.clock.advance(60 * MINUTE);
    expect(await cancelApplication(deps, { applicationId: application.id, via: 'lookup' })).toEqual({ ok: false, code: 'application.notCancellable' });
  });

  it('refuses inside a maintenance window, and finalises during it all the same', async () => {
    const application = await apply(world.demo.coupons[8]!);
    const now = world.clock.now();
    const scheduled = await scheduleMaintenance(deps, {
      startsAt: new Date(now.getTime() + 10 * MINUTE),
      endsAt: new Date(now.getTime() + 3 * 60 * MINUTE),
      messageJa: 'サーバー機器の定期保守を行います。',
    });
    expect(scheduled.ok).toBe(true);
    world.clock.advance(20 * MINUTE);
    expect(await cancelApplication(deps, { applicationId: application.id, via: 'lookup' })).toEqual({ ok: false, code: 'cancel.maintenance' });
    world.clock.advance(45 * MINUTE);
    expect(await finaliseDueApplications(deps)).toBeGreaterThanOrEqual(1);
    const [row] = await world.database.db.select({ state: applications.state }).from(applications).where(eq(applications.id, application.id));
    expect(row?.state).toBe('final');
    if (scheduled.ok) await removeMaintenance(deps, { windowId: scheduled.value.id });
  });

  it('answers the same for a wrong password, a wrong email and an unknown number', async () => {
    const application = await apply(world.demo.coupons[3]!);
    const tries = [
      { acceptanceNumber: application.acceptanceNumber, email: 'applicant@example.jp', password: 'wrong-pass-1' },
      { acceptanceNumber: application.acceptanceNumber, email: 'other@example.jp', password },
      { acceptanceNumber: 'N000000-000000', email: 'applicant@example.jp', password },
    ];
    for (const [i, t] of tries.entries()) {
      expect(await findOwnApplication(deps, { purpose: 'cancel', ...t, clientKey: `t3-${i}`, networkKey: `t3-${i}` })).toEqual({ ok: false, code: 'application.notFound' });
    }
  });
});

describe(finaliseDueApplications.name, () => {
  it('finalises each due application exactly once under two workers, consuming its coupon', async () => {
    world.clock.advance(2 * 60 * MINUTE); // everything before is due now
    await finaliseDueApplications(deps);
    const batch = await Promise.all([4, 5, 6, 7].map((i) => apply(world.demo.coupons[i]!)));
    world.clock.advance(30 * MINUTE);
    expect(await finaliseDueApplications(deps)).toBe(0); // not due yet
    world.clock.advance(30 * MINUTE);

    const counts = await Promise.all([finaliseDueApplications(deps, { batchSize: 1 }), finaliseDueApplications(deps, { batchSize: 1 })]);
    expect(counts[0]! + counts[1]!).toBe(4);
    expect(await finaliseDueApplications(deps)).toBe(0);

    for (const application of batch) {
      const [row] = await world.database.db.select({ state: applications.state, couponId: applications.couponId }).from(applications).where(eq(applications.id, application.id));
      expect(row?.state).toBe('final');
      const consumed = await world.database.db
        .select({ id: couponEvents.id })
        .from(couponEvents)
        .where(and(eq(couponEvents.couponId, row!.couponId), eq(couponEvents.toState, 'consumed')));
      expect(consumed).toHaveLength(1);
      const audits = await world.database.db
        .select({ id: auditLog.id })
        .from(auditLog)
        .where(and(eq(auditLog.subjectId, application.id), eq(auditLog.action, 'application.finallyAccepted')));
      expect(audits).toHaveLength(1);
      const mails = await world.database.db.select({ id: outboxMessages.id }).from(outboxMessages).where(eq(outboxMessages.dedupeKey, `application.final:${application.id}`));
      expect(mails).toHaveLength(1);
    }
  });

  it('keeps the audit log append-only', async () => {
    await expect(world.database.db.execute(sql`update audit_log set actor = 'someone else'`)).rejects.toThrow();
    await expect(world.database.db.execute(sql`delete from audit_log`)).rejects.toThrow();
  });
});
