import type { ApplicationKind } from './application-state.js';

/**
 * The acceptance number (受付番号) shown on the provisional-acceptance page and used to
 * cancel: kind letter, the date in Japan, and six random digits — e.g. U261127-482913.
 */
export function formatAcceptanceNumber(kind: ApplicationKind, at: Date, randomDigits: string): string {
  if (!/^[0-9]{6}$/.test(randomDigits)) throw new Error('need six random digits');
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tokyo',
    year: '2-digit',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${kind === 'renewal' ? 'U' : 'N'}${part('year')}${part('month')}${part('day')}-${randomDigits}`;
}

export function canonicalAcceptanceNumber(input: string): string {
  return input.normalize('NFKC').trim().toUpperCase().replace(/[‐‑–—−ー]/g, '-');
}
