/** The only source of "now" in certdesk (STYLE §5). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};
