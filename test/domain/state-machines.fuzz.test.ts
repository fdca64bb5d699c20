/**
 * The coupon ledger and the application life under random event sequences (the
 * hardening issue's fuzz suite): no sequence double-locks a coupon, a coupon pays for one
 * application, and nothing leaves a terminal state.
 *
 * Fixed seed; replay another with FUZZ_SEED=<n>. fast-check prints the seed, the path and
 * the shrunk counterexample of a failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applicationStates, effectiveState, finalAtFor, nextState, type ApplicationEvent, type ApplicationState } from '../../src/domain/application-state.js';
import { couponStates, nextCouponState, type CouponEvent, type CouponState } from '../../src/domain/coupon-state.js';
import { fuzzSeedFrom } from '../support/fuzz-seed.js';

const seed = fuzzSeedFrom(process.env['FUZZ_SEED']);
const runs = { coupon: 2000, ledger: 1000, application: 2000 };

const couponEvents: readonly CouponEvent[] = ['lock', 'release', 'consume', 'void'];
const applicationEvents: readonly ApplicationEvent[] = ['finalise', 'cancel', 'approve', 'reject', 'issue'];
const MINUTE = 60_000;

describe(`${nextCouponState.name} (seed ${seed})`, () => {
  it('never locks a coupon again before it is released, whatever events arrive', () => {
    fc.assert(
      fc.property(fc.constantFrom(...couponStates), fc.array(fc.constantFrom(...couponEvents), { maxLength: 40 }), (start, events) => {
        let state: CouponState = start;
        let isHeld = start === 'locked';
        for (const event of events) {
          const next = nextCouponState(state, event);
          if (next === undefined) continue;
          expect(couponStates).toContain(next);
          if (event === 'lock') {
            expect(isHeld, 'locked while already locked').toBe(false);
            isHeld = true;
          }
          if (event === 'release' || event === 'consume') {
            expect(isHeld, `${event} of a coupon nobody holds`).toBe(true);
            isHeld = false;
          }
          state = next;
          expect(isHeld).toBe(state === 'locked');
        }
      }),
      { seed, numRuns: runs.coupon },
    );
  });

  it('keeps a consumed or void coupon where it is', () => {
    fc.assert(
      fc.property(fc.constantFrom<CouponState>('consumed', 'void'), fc.constantFrom(...couponEvents), (state, event) => {
        expect(nextCouponState(state, event)).toBeUndefined();
      }),
      { seed, numRuns: 50 },
    );
  });
});

// ---------------------------------------------------------------------------
// A coupon ledger driven by applications, as the RA drives it (submit-application.ts,
// cancel-application.ts, finalise-applications.ts): every coupon change follows an
// application change in the same transaction.

type LedgerEvent =
  | { kind: 'submit'; coupon: number }
  | { kind: 'application'; application: number; event: ApplicationEvent }
  | { kind: 'void'; coupon: number }
  | { kind: 'wait'; ms: number };

interface Coupon {
  state: CouponState;
  heldBy: number | undefined;
}
interface Application {
  state: ApplicationState;
  coupon: number;
  finalAt: Date;
}

const COUPONS = 3;
const ledgerEvent: fc.Arbitrary<LedgerEvent> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('submit' as const), coupon: fc.nat({ max: COUPONS - 1 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('application' as const), application: fc.nat({ max: 9 }), event: fc.constantFrom(...applicationEvents) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), coupon: fc.nat({ max: COUPONS - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 90 * MINUTE }) }) },
);

const terminal: readonly ApplicationState[] = ['cancelled', 'rejected', 'issued'];
/** States in which an application has spent its coupon. */
const spent: readonly ApplicationState[] = ['final', 'approved', 'rejected', 'issued'];

/** Apply a coupon event the ledger must accept; a refusal here is a broken invariant. */
function settle(coupon: Coupon, event: CouponEvent, application: number): void {
  expect(coupon.heldBy, `${event} by an application that does not hold the coupon`).toBe(application);
  const next = nextCouponState(coupon.state, event);
  expect(next, `${event} of a ${coupon.state} coupon`).toBeDefined();
  coupon.state = next!;
  if (event === 'release') coupon.heldBy = undefined;
}

describe(`the coupon ledger under random application events (seed ${seed})`, () => {
  it('never double-locks a coupon, and a coupon pays for at most one application', () => {
    fc.assert(
      fc.property(fc.array(ledgerEvent, { maxLength: 60 }), (events) => {
        let now = new Date('2026-11-27T01:00:00Z');
        const coupons: Coupon[] = Array.from({ length: COUPONS }, () => ({ state: 'available', heldBy: undefined }));
        const apps: Application[] = [];

        for (const e of events) {
          const before = apps.map((a) => a.state);
          switch (e.kind) {
            case 'wait':
              now = new Date(now.getTime() + e.ms);
              break;
            case 'void': {
              const coupon = coupons[e.coupon]!;
              const next = nextCouponState(coupon.state, 'void');
              if (next !== undefined) coupon.state = next;
              break;
            }
            case 'submit': {
              // Step 6 of submitApplication: the conditional update admits one caller.
              const coupon = coupons[e.coupon]!;
              const next = nextCouponState(coupon.state, 'lock');
              if (next === undefined) break;
              coupon.state = next;
              coupon.heldBy = apps.length;
              apps.push({ state: 'provisional', coupon: e.coupon, finalAt: finalAtFor(now) });
              break;
            }
            case 'application': {
              const index = e.application % Math.max(apps.length, 1);
              const app = apps[index];
              if (app === undefined) break;
              const coupon = coupons[app.coupon]!;
              // An RA deciding on an application past its hour finalises it first (the job may not have run).
              if ((e.event === 'approve' || e.event === 'reject') && app.state === 'provisional' && effectiveState(app.state, app.finalAt, now) === 'final') {
                const finalised = nextState(app.state, 'finalise', app.finalAt, now);
                expect(finalised.ok).toBe(true);
                app.state = 'final';
                settle(coupon, 'consume', index);
              }
              const result = nextState(app.state, e.event, app.finalAt, now);
              if (!result.ok) break;
              if (e.event === 'cancel') {
                expect(now.getTime(), 'cancelled after the hour').toBeLessThan(app.finalAt.getTime());
                settle(coupon, 'release', index);
              }
              if (e.event === 'finalise') settle(coupon, 'consume', index);
              app.state = result.value;
              break;
            }
          }

          // Nothing leaves a terminal state.
          before.forEach((state, i) => {
            if (terminal.includes(state)) expect(apps[i]!.state).toBe(state);
          });
          coupons.forEach((coupon, c) => {
            const holders = apps.flatMap((a, i) => (a.coupon === c && a.state === 'provisional' ? [i] : []));
            const spenders = apps.filter((a) => a.coupon === c && spent.includes(a.state));
            // Locked ⇔ exactly one provisional application holds it; never two.
            expect(holders.length).toBeLessThanOrEqual(1);
            expect(coupon.state === 'locked').toBe(holders.length === 1);
            if (coupon.state === 'locked') expect(coupon.heldBy).toBe(holders[0]);
            // Consumed ⇔ exactly one application spent it; a released coupon pays for nobody.
            expect(spenders.length).toBe(coupon.state === 'consumed' ? 1 : 0);
            if (coupon.state === 'available' || coupon.state === 'void') expect(coupon.heldBy).toBeUndefined();
          });
        }
      }),
      { seed, numRuns: runs.ledger },
    );
  });
});

describe(`${nextState.name} (seed ${seed})`, () => {
  const at = (start: Date, ms: number) => new Date(start.getTime() + ms);

  it('only moves forward: no event returns an application to a state it left, and cancellation comes only before the hour', () => {
    const order: Record<ApplicationState, number> = { provisional: 0, final: 1, cancelled: 1, approved: 2, rejected: 2, issued: 3 };
    fc.assert(
      fc.property(
        fc.constantFrom(...applicationStates),
        fc.array(fc.tuple(fc.constantFrom(...applicationEvents), fc.integer({ min: 0, max: 45 * MINUTE })), { maxLength: 30 }),
        (start, steps) => {
          const provisionalAt = new Date('2026-11-27T01:00:00Z');
          const finalAt = finalAtFor(provisionalAt);
          let state = start;
          let elapsed = 0;
          for (const [event, wait] of steps) {
            elapsed += wait;
            const now = at(provisionalAt, elapsed);
            const result = nextState(state, event, finalAt, now);
            if (!result.ok) continue;
            expect(applicationStates).toContain(result.value);
            expect(terminal, `${event} moved a ${state} application`).not.toContain(state);
            expect(order[result.value], `${state} → ${result.value}`).toBeGreaterThan(order[state]);
            if (result.value === 'cancelled') expect(now.getTime()).toBeLessThan(finalAt.getTime());
            state = result.value;
          }
        },
      ),
      { seed, numRuns: runs.application },
    );
  });

  it('never returns to provisional once the hour has passed, however late one looks', () => {
    fc.assert(
      fc.property(fc.constantFrom(...applicationStates), fc.integer({ min: 0, max: 3 * 60 * MINUTE }), fc.integer({ min: 0, max: 3 * 60 * MINUTE }), (stored, a, b) => {
        const finalAt = finalAtFor(new Date('2026-11-27T01:00:00Z'));
        const [early, late] = a <= b ? [a, b] : [b, a];
        const start = new Date('2026-11-27T01:00:00Z');
        if (effectiveState(stored, finalAt, at(start, early)) !== 'provisional') {
          expect(effectiveState(stored, finalAt, at(start, late))).not.toBe('provisional');
        }
      }),
      { seed, numRuns: runs.application },
    );
  });
});
