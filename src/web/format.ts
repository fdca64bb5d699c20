import type { Lang } from './env.js';

/** Instants are stored in UTC and shown in Japan time (STYLE §5). */
export function formatInstant(at: Date, lang: Lang): string {
  const text = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: lang === 'ja' ? 'long' : 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
  return lang === 'ja' ? `${text}(日本時間)` : `${text} (Japan time)`;
}

export function formatDay(at: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: lang === 'ja' ? 'long' : 'short',
    day: 'numeric',
  }).format(at);
}
