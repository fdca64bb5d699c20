import { Hono, type Context } from 'hono';
import type { WebDeps, WebEnv } from '../env.js';
import { MessagePage } from '../layout.js';
import { commonText } from '../messages.js';
import { clientKeysOf, frameOf } from '../request.js';

export const limitKinds = ['lookup', 'cancelLookup', 'coupon', 'submission', 'sessions'] as const;
export type LimitKind = (typeof limitKinds)[number];

const defaultRetryAfterSeconds: Record<LimitKind, number> = { lookup: 900, cancelLookup: 900, coupon: 3600, submission: 3600, sessions: 3600 };

/** Where each flow starts again. */
const flowStarts = ['/renew', '/new', '/cancel', '/status', '/pickup', '/revoke'] as const;
type FlowStart = (typeof flowStarts)[number];
const asFlowStart = (value: string | undefined): FlowStart => flowStarts.find((f) => f === value) ?? '/renew';

/**
 * A refusal after a POST is a redirect too (Post/Redirect/Get): Reload of the limit page
 * must not post the password again and count another attempt.
 */
export function limitedRedirect(c: Context<WebEnv>, kind: LimitKind, from: FlowStart, retryAfterSeconds = defaultRetryAfterSeconds[kind]) {
  return c.redirect(`/limited/${kind}?from=${encodeURIComponent(from)}&retry=${Math.round(retryAfterSeconds)}`, 303);
}

export function expiredRedirect(c: Context<WebEnv>, from: FlowStart) {
  return c.redirect(`/expired?from=${encodeURIComponent(from)}`, 303);
}

/** GET /limited/:kind (429, Retry-After) and GET /expired (409): the pages those redirects show. */
export function limitRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/limited/:kind', (c) => {
    const t = commonText[c.get('lang')];
    const kind = limitKinds.find((k) => k === c.req.param('kind')) ?? 'lookup';
    const from = asFlowStart(c.req.query('from'));
    const retry = Number(c.req.query('retry'));
    c.header('Retry-After', String(Number.isInteger(retry) && retry > 0 && retry <= 86_400 ? retry : defaultRetryAfterSeconds[kind]));
    const body = {
      lookup: t.tooManyBody,
      // The owner of an application has a way past: the link in the acceptance mail (issue #6 defect 8).
      cancelLookup: `${t.tooManyBody}${t.tooManyCancelHint}`,
      coupon: t.tooManyCouponBody,
      submission: t.tooManySubmissionsBody,
      sessions: t.tooManySessionsBody,
    }[kind];
    return c.html(<MessagePage frame={frameOf(c, deps, from)} title={t.tooManyTitle} body={body} link={{ href: from, label: t.startOver }} />, 429);
  });

  app.get('/expired', (c) => {
    const t = commonText[c.get('lang')];
    const from = asFlowStart(c.req.query('from'));
    return c.html(<MessagePage frame={frameOf(c, deps, from)} title={t.expiredTitle} body={t.expiredBody} link={{ href: from, label: t.startOver }} />, 409);
  });

  return app;
}

/** The keys a lookup is counted by (client, network), as the RA wants them. */
export function keysFor(c: Context<WebEnv>, deps: WebDeps): { clientKey: string; networkKey: string } {
  const keys = clientKeysOf(c, deps);
  return { clientKey: keys.client, networkKey: keys.network };
}
