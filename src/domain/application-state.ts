/**
 * The life of an application (SPEC 1.1 steps 6–8, 1.3):
 *
 *   provisional ──(finalAt passes)──▶ final ──approve──▶ approved ──pickup──▶ issued
 *        │                              └────reject───▶ rejected
 *        └──cancel (before finalAt)──▶ cancelled
 *
 * Deadlines are data (STYLE §5): an application whose finalAt has passed is final
 * whether or not the finalisation job has run, so every decision goes through
 * `effectiveState`.
 */
export const applicationStates = ['provisional', 'final', 'cancelled', 'approved', 'rejected', 'issued'] as const;
export type ApplicationState = (typeof applicationStates)[number];

export const applicationKinds = ['new', 'renewal'] as const;
export type ApplicationKind = (typeof applicationKinds)[number];

export const CANCEL_GRACE_MS = 60 * 60 * 1000;

export type ApplicationEvent = 'finalise' | 'cancel' | 'approve' | 'reject' | 'issue';

const transitions: Record<ApplicationState, Partial<Record<ApplicationEvent, ApplicationState>>> = {
  provisional: { finalise: 'final', cancel: 'cancelled' },
  final: { approve: 'approved', reject: 'rejected' },
  approved: { issue: 'issued' },
  cancelled: {},
  rejected: {},
  issued: {},
};

export function finalAtFor(provisionalAt: Date, cancelGraceMs = CANCEL_GRACE_MS): Date {
  return new Date(provisionalAt.getTime() + cancelGraceMs);
}

/** The state as it stands at `now`, applying the time-based finalisation on read. */
export function effectiveState(stored: ApplicationState, finalAt: Date, now: Date): ApplicationState {
  if (stored === 'provisional' && now.getTime() >= finalAt.getTime()) return 'final';
  return stored;
}

export type TransitionRefusal = 'application.notCancellable' | 'application.invalidTransition';

export function nextState(
  stored: ApplicationState,
  event: ApplicationEvent,
  finalAt: Date,
  now: Date,
): { ok: true; value: ApplicationState } | { ok: false; code: TransitionRefusal } {
  const current = effectiveState(stored, finalAt, now);
  if (event === 'finalise' && stored === 'provisional' && current === 'final') return { ok: true, value: 'final' };
  if (event === 'finalise') return { ok: false, code: 'application.invalidTransition' };
  const next = transitions[current][event];
  if (next === undefined) {
    return { ok: false, code: event === 'cancel' ? 'application.notCancellable' : 'application.invalidTransition' };
  }
  return { ok: true, value: next };
}

/** States that block another renewal of the same certificate (SPEC 1.1 step 2). */
export const renewalBlockingStates: readonly ApplicationState[] = ['provisional', 'final', 'approved', 'issued'];
