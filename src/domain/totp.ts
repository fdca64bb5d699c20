/**
 * Time steps of TOTP (RFC 6238): 30-second steps counted from the Unix epoch. A code is
 * accepted for the current step and one step either side (clock drift), and only for a
 * step later than the last one accepted for that operator, so a code works once.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DRIFT_STEPS = 1;

export function totpStepAt(now: Date, periodSeconds = TOTP_PERIOD_SECONDS): number {
  return Math.floor(now.getTime() / 1000 / periodSeconds);
}

/** The steps whose codes are accepted at `now`, the current one first. */
export function acceptableSteps(now: Date): number[] {
  const step = totpStepAt(now);
  const out = [step];
  for (let d = 1; d <= TOTP_DRIFT_STEPS; d++) out.push(step - d, step + d);
  return out;
}

/** A code of `step` is a replay when that step, or a later one, was accepted before. */
export function isReplayedStep(step: number, lastAcceptedStep: number | null): boolean {
  return lastAcceptedStep !== null && step <= lastAcceptedStep;
}
