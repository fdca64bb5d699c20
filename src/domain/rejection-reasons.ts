/** Why an application is not approved: the reasons a reviewer chooses from (plus free text). */
export const rejectionReasons = [
  'identity.unverifiable',
  'organisation.unverifiable',
  'employment.unverifiable',
  'email.unverifiable',
  'information.incorrect',
  'duplicate',
  'other',
] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

export function isRejectionReason(value: string): value is RejectionReason {
  return (rejectionReasons as readonly string[]).includes(value);
}

/** Free text a reviewer adds to the reason; it goes into the applicant's mail. */
export const REJECTION_NOTE_MAX_LENGTH = 1000;
