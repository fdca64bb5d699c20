import type { Context } from 'hono';
import type { WebDeps, WebEnv } from '../env.js';
import { MessagePage } from '../layout.js';
import { commonText } from '../messages.js';
import { frameOf } from '../request.js';

export type LimitKind = 'lookup' | 'coupon' | 'submission';

const retryAfterSeconds: Record<LimitKind, number> = { lookup: 900, coupon: 3600, submission: 3600 };

/** 429 with Retry-After and a page that says what was limited and when to try again. */
export function tooManyPage(c: Context<WebEnv>, deps: Pick<WebDeps, 'site'>, kind: LimitKind, back: string) {
  const t = commonText[c.get('lang')];
  c.header('Retry-After', String(retryAfterSeconds[kind]));
  const body = kind === 'lookup' ? t.tooManyBody : kind === 'coupon' ? t.tooManyCouponBody : t.tooManySubmissionsBody;
  return c.html(<MessagePage frame={frameOf(c, deps, back)} title={t.tooManyTitle} body={body} link={{ href: back, label: t.startOver }} />, 429);
}
