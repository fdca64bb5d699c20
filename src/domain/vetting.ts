import { DAY_MS } from './renewal-window.js';

/**
 * S/MIME BR 3.2.4 / 4.2.1: identity and organisation vetting may be reused for up to 825
 * days; after that a renewal is vetted anew (SPEC 4, issue #7).
 */
export const VETTING_REUSE_DAYS = 825;

export interface VettingAge {
  vettedAt: Date;
  ageDays: number;
  /** The last instant the vetting can be reused. */
  reusableUntil: Date;
  isReusable: boolean;
}

export function vettingAgeOf(vettedAt: Date, now: Date): VettingAge {
  const reusableUntil = new Date(vettedAt.getTime() + VETTING_REUSE_DAYS * DAY_MS);
  return {
    vettedAt,
    ageDays: Math.floor((now.getTime() - vettedAt.getTime()) / DAY_MS),
    reusableUntil,
    isReusable: now.getTime() <= reusableUntil.getTime(),
  };
}
