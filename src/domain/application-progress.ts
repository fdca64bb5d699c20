import { effectiveState, type ApplicationState } from './application-state.js';

/**
 * Where an application stands, as the subscriber sees it (SPEC 1.7): the seed's
 * 「発行までの流れ」 as steps, and how the application left them if it did.
 *
 *   仮受付 → 本受付 → 審査中 → 審査完了 → 取得済み
 */
export const progressSteps = ['provisional', 'final', 'review', 'approved', 'issued'] as const;
export type ProgressStep = (typeof progressSteps)[number];

export type ApplicationProgress =
  | { kind: 'onTrack'; step: ProgressStep }
  | { kind: 'cancelled' }
  | { kind: 'rejected' };

/**
 * The deadline is data: an application whose hour has passed is 本受付 whether or not
 * the job ran. Review begins with final acceptance (the seed: 本受付以降に順次、審査業務を
 * 開始), so a final application is 審査中 once an operator has taken it up.
 */
export function progressOf(stored: ApplicationState, finalAt: Date, now: Date, isUnderReview = false): ApplicationProgress {
  const state = effectiveState(stored, finalAt, now);
  switch (state) {
    case 'provisional':
      return { kind: 'onTrack', step: 'provisional' };
    case 'final':
      return { kind: 'onTrack', step: isUnderReview ? 'review' : 'final' };
    case 'approved':
      return { kind: 'onTrack', step: 'approved' };
    case 'issued':
      return { kind: 'onTrack', step: 'issued' };
    case 'cancelled':
      return { kind: 'cancelled' };
    case 'rejected':
      return { kind: 'rejected' };
  }
}

/** Why an application cannot be cancelled now, or undefined when it can (SPEC 1.3). */
export type CancellationRefusal = 'final' | 'cancelled' | 'decided';

export function cancellationRefusal(stored: ApplicationState, finalAt: Date, now: Date): CancellationRefusal | undefined {
  const state = effectiveState(stored, finalAt, now);
  switch (state) {
    case 'provisional':
      return undefined;
    case 'final':
      return 'final';
    case 'cancelled':
      return 'cancelled';
    case 'approved':
    case 'rejected':
    case 'issued':
      return 'decided';
  }
}
