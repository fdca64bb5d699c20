import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { CANCEL_GRACE_MS, effectiveState, finalAtFor, nextState, renewalBlockingStates } from '../../src/domain/application-state.js';

const provisionalAt = new Date('2026-11-27T01:00:00Z');
const finalAt = finalAtFor(provisionalAt);
const at = (ms: number) => new Date(provisionalAt.getTime() + ms);

describe(finalAtFor.name, () => {
  it('is one hour after provisional acceptance', () => {
    expect(finalAt).toEqual(new Date('2026-11-27T02:00:00Z'));
    expect(finalAt.getTime() - provisionalAt.getTime()).toBe(CANCEL_GRACE_MS);
  });
});

describe(effectiveState.name, () => {
  it('stays provisional until one millisecond before the hour', () => {
    expect(effectiveState('provisional', finalAt, at(CANCEL_GRACE_MS - 1))).toBe('provisional');
  });
  it('is final at the hour even when no job has run', () => {
    expect(effectiveState('provisional', finalAt, at(CANCEL_GRACE_MS))).toBe('final');
  });
  it('leaves every other state alone', () => {
    for (const s of ['final', 'cancelled', 'approved', 'rejected', 'issued'] as const) {
      expect(effectiveState(s, finalAt, at(2 * CANCEL_GRACE_MS))).toBe(s);
    }
  });
});

describe(nextState.name, () => {
  it('cancels at 59:59', () => {
    expect(nextState('provisional', 'cancel', finalAt, at(CANCEL_GRACE_MS - 1000))).toEqual({ ok: true, value: 'cancelled' });
  });
  it('refuses cancellation at 60:01', () => {
    expect(nextState('provisional', 'cancel', finalAt, at(CANCEL_GRACE_MS + 1000))).toEqual({
      ok: false,
      code: 'application.notCancellable',
    });
  });
  it('finalises only once the hour has passed', () => {
    expect(nextState('provisional', 'finalise', finalAt, at(CANCEL_GRACE_MS - 1)).ok).toBe(false);
    expect(nextState('provisional', 'finalise', finalAt, at(CANCEL_GRACE_MS))).toEqual({ ok: true, value: 'final' });
  });
  it('never finalises twice', () => {
    expect(nextState('final', 'finalise', finalAt, at(2 * CANCEL_GRACE_MS)).ok).toBe(false);
  });
  it('approves or rejects a final application, effective or stored', () => {
    expect(nextState('final', 'approve', finalAt, at(2 * CANCEL_GRACE_MS))).toEqual({ ok: true, value: 'approved' });
    expect(nextState('provisional', 'reject', finalAt, at(2 * CANCEL_GRACE_MS))).toEqual({ ok: true, value: 'rejected' });
  });
  it('does not review a provisional application inside the hour', () => {
    expect(nextState('provisional', 'approve', finalAt, at(0))).toEqual({ ok: false, code: 'application.invalidTransition' });
  });
  it('issues only approved applications', () => {
    expect(nextState('approved', 'issue', finalAt, at(3 * CANCEL_GRACE_MS))).toEqual({ ok: true, value: 'issued' });
    expect(nextState('rejected', 'issue', finalAt, at(3 * CANCEL_GRACE_MS)).ok).toBe(false);
  });
  it('cannot cancel a cancelled application again', () => {
    expect(nextState('cancelled', 'cancel', finalAt, at(0))).toEqual({ ok: false, code: 'application.notCancellable' });
  });
});

describe('renewalBlockingStates', () => {
  it('are the states of the one-renewal-per-certificate index in the migrations', () => {
    const migrations = fs.readdirSync('src/store/migrations').filter((f) => f.endsWith('.sql'));
    const sql = migrations.map((f) => fs.readFileSync(`src/store/migrations/${f}`, 'utf8')).join('\n');
    const index = /applications_one_renewal_per_certificate[^;]*WHERE state in \(([^)]*)\)/.exec(sql);
    expect(index?.[1]?.split(',').map((s) => s.trim().replace(/'/g, ''))).toEqual([...renewalBlockingStates]);
  });
});
