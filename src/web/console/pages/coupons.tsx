import { Hono } from 'hono';
import { couponProducts, isCouponBatchId, couponExpiryDateOf } from '../../../domain/coupon-batch.js';
import { couponStates } from '../../../domain/coupon-state.js';
import { formatCouponNumber } from '../../../domain/input/registration.js';
import { exportCouponBatch } from '../../../ra/export-coupon-batch.js';
import { findCoupon } from '../../../ra/find-coupon.js';
import { issueCouponBatch } from '../../../ra/issue-coupon-batch.js';
import { voidCoupons } from '../../../ra/void-coupons.js';
import { findCouponBatch, listBatchCoupons, listCouponBatches } from '../../../store/coupon-store.js';
import type { Lang, WebDeps, WebEnv } from '../../env.js';
import { formatInstant } from '../../format.js';
import { Csrf } from '../../portal/lookup-fields.js';
import { consoleFrameOf, operatorOf, requireAction } from '../console-app.js';
import { ConsoleLayout } from '../layout.js';
import { couponText } from './coupon-messages.js';

/** Result keys a redirect may carry back (?done=), with their words. */
function flashesOf(lang: Lang) {
  const t = couponText[lang];
  return {
    issued: { kind: 'ok' as const, text: t.issued },
    voided: { kind: 'ok' as const, text: t.voided },
    ...Object.fromEntries(Object.entries(t.codes).map(([code, text]) => [code, { kind: 'error' as const, text }])),
  };
}

const stateLabel = (lang: Lang, state: string) => (couponText[lang].states as Record<string, string>)[state] ?? state;

/** Coupons (admins, issue #7): issue a batch for a reseller partner, its CSV, one coupon's history, voids. */
export function couponPages(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use(requireAction(deps, 'manageCoupons'));

  app.get('/', async (c) => {
    const lang = c.get('lang');
    const t = couponText[lang];
    const batches = await listCouponBatches(deps.db, 200);
    const frame = consoleFrameOf(c, deps, 'coupons', flashesOf(lang));
    return c.html(
      <ConsoleLayout frame={frame} title={t.title}>
        <div class="grid">
          <div>
            <h2>{t.batches}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.createdAt}</th>
                  <th scope="col">{t.partner}</th>
                  <th scope="col">{t.product}</th>
                  <th scope="col">{t.expiresOn}</th>
                  <th scope="col" class="num">{t.count}</th>
                  {couponStates.map((s) => (
                    <th scope="col" class="num">{stateLabel(lang, s)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {batches.map((b) => (
                  <tr>
                    <td>
                      <a href={`/console/coupons/batches/${b.id}`}>{formatInstant(b.createdAt, lang)}</a>
                    </td>
                    <td>{b.partner}</td>
                    <td>{b.product}</td>
                    <td>{couponExpiryDateOf(b.expiresAt)}</td>
                    <td class="num">{b.count}</td>
                    {couponStates.map((s) => (
                      <td class="num">{b.states[s]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div>
            <div class="panel">
              <h2>{t.lookup}</h2>
              <form method="get" action="/console/coupons/lookup" role="search">
                <div class="field">
                  <label for="number">{t.number}</label>
                  <input id="number" name="number" inputmode="numeric" size={22} maxlength={40} placeholder="12345678-12345678" required />
                </div>
                <button type="submit">{t.search}</button>
              </form>
            </div>
            <div class="panel">
              <h2>{t.issue}</h2>
              <form method="post" action="/console/coupons/batches">
                <Csrf token={frame.csrf} />
                <div class="field">
                  <label for="partner">{t.partner}</label>
                  <input id="partner" name="partner" required maxlength={80} size={30} />
                </div>
                <div class="field">
                  <label for="count">{t.count}</label>
                  <input id="count" name="count" type="number" min={1} max={10000} required value="100" />
                </div>
                <div class="field">
                  <label for="product">{t.product}</label>
                  <select id="product" name="product">
                    {couponProducts.map((p) => (
                      <option value={p}>{p}</option>
                    ))}
                  </select>
                </div>
                <div class="field">
                  <label for="expiresOn">{t.expiresOn}</label>
                  <input id="expiresOn" name="expiresOn" type="date" required />
                </div>
                <button type="submit" class="primary">
                  {t.issueButton}
                </button>
              </form>
            </div>
          </div>
        </div>
      </ConsoleLayout>,
    );
  });

  app.post('/batches', async (c) => {
    const form = c.get('form');
    const result = await issueCouponBatch(deps, {
      partner: form['partner'] ?? '',
      count: form['count'] ?? '',
      product: form['product'] ?? '',
      expiresOn: form['expiresOn'] ?? '',
      actor: `operator:${operatorOf(c).operatorId}`,
    });
    return c.redirect(result.ok ? `/console/coupons/batches/${result.value.batchId}?done=issued` : `/console/coupons?done=${result.code}`, 303);
  });

  app.get('/batches/:id', async (c) => {
    const id = c.req.param('id');
    const lang = c.get('lang');
    const t = couponText[lang];
    const batch = isCouponBatchId(id) ? await findCouponBatch(deps.db, id) : undefined;
    if (batch === undefined) return c.notFound();
    const rows = await listBatchCoupons(deps.db, id);
    const frame = consoleFrameOf(c, deps, 'coupons', flashesOf(lang));
    return c.html(
      <ConsoleLayout frame={frame} title={`${t.batch}: ${batch.partner}`}>
        <p>
          <a href="/console/coupons">{t.back}</a>
        </p>
        <dl class="facts panel">
          <dt>{t.partner}</dt>
          <dd>{batch.partner}</dd>
          <dt>{t.product}</dt>
          <dd>{batch.product}</dd>
          <dt>{t.expiresOn}</dt>
          <dd>{couponExpiryDateOf(batch.expiresAt)}</dd>
          <dt>{t.count}</dt>
          <dd>{batch.count}</dd>
          <dt>{t.createdAt}</dt>
          <dd>
            {formatInstant(batch.createdAt, lang)} ({batch.createdBy})
          </dd>
        </dl>
        <div class="actions">
          <form method="post" action={`/console/coupons/batches/${id}/csv`}>
            <Csrf token={frame.csrf} />
            <button type="submit" class="primary">
              {t.download}
            </button>
          </form>
          {batch.states.available > 0 && (
            <form method="post" action={`/console/coupons/batches/${id}/void`}>
              <Csrf token={frame.csrf} />
              <button type="submit" class="danger">
                {t.voidRest(batch.states.available)}
              </button>
            </form>
          )}
        </div>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.number}</th>
              <th scope="col">{t.state}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td class="mono">
                  <a href={`/console/coupons/lookup?number=${r.number}`}>{formatCouponNumber(r.number)}</a>
                </td>
                <td>{stateLabel(lang, r.state)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ConsoleLayout>,
    );
  });

  // A download, not a page: a POST, since every export is audited (the numbers are money).
  app.post('/batches/:id/csv', async (c) => {
    const result = await exportCouponBatch(deps, { batchId: c.req.param('id'), actor: `operator:${operatorOf(c).operatorId}` });
    if (!result.ok) return c.redirect(`/console/coupons?done=${result.code}`, 303);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${result.value.fileName}"`);
    return c.body(result.value.csv.buffer.slice(result.value.csv.byteOffset, result.value.csv.byteOffset + result.value.csv.byteLength) as ArrayBuffer);
  });

  app.post('/batches/:id/void', async (c) => {
    const id = c.req.param('id');
    const result = await voidCoupons(deps, { kind: 'batch', batchId: id, actor: `operator:${operatorOf(c).operatorId}` });
    return c.redirect(result.ok ? `/console/coupons/batches/${id}?done=voided` : `/console/coupons?done=${result.code}`, 303);
  });

  app.get('/lookup', async (c) => {
    const lang = c.get('lang');
    const t = couponText[lang];
    const typed = (c.req.query('number') ?? '').slice(0, 40);
    const found = await findCoupon(deps, { couponNumber: typed });
    const frame = consoleFrameOf(c, deps, 'coupons', flashesOf(lang));
    if (!found.ok) {
      return c.html(
        <ConsoleLayout frame={frame} title={t.lookup}>
          <p class="flash flash-error" role="alert">
            {t.codes[found.code]}
          </p>
          <p>
            <a href="/console/coupons">{t.back}</a>
          </p>
        </ConsoleLayout>,
        404,
      );
    }
    const coupon = found.value;
    return c.html(
      <ConsoleLayout frame={frame} title={`${t.coupon} ${formatCouponNumber(coupon.number)}`}>
        <p>
          <a href="/console/coupons">{t.back}</a>
        </p>
        <dl class="facts panel">
          <dt>{t.state}</dt>
          <dd>
            <strong>{stateLabel(lang, coupon.state)}</strong>
            {coupon.isExpired ? ` (${t.expired})` : ''}
          </dd>
          <dt>{t.partner}</dt>
          <dd>{coupon.partner}</dd>
          <dt>{t.product}</dt>
          <dd>{coupon.product}</dd>
          <dt>{t.expiresOn}</dt>
          <dd>{coupon.expiresOn ?? t.never}</dd>
          {coupon.batchId !== null && (
            <>
              <dt>{t.batch}</dt>
              <dd>
                <a href={`/console/coupons/batches/${coupon.batchId}`}>{coupon.batchId}</a>
              </dd>
            </>
          )}
          {coupon.applicationId !== null && (
            <>
              <dt>{t.application}</dt>
              <dd>
                <a href={`/console/applications/${coupon.applicationId}`}>{coupon.applicationId}</a>
              </dd>
            </>
          )}
        </dl>
        {coupon.state === 'available' && (
          <form method="post" action="/console/coupons/void" class="actions">
            <Csrf token={frame.csrf} />
            <input type="hidden" name="number" value={coupon.number} />
            <button type="submit" class="danger">
              {t.voidOne}
            </button>
          </form>
        )}
        <h2>{t.history}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.at}</th>
              <th scope="col">{t.transition}</th>
              <th scope="col">{t.actor}</th>
              <th scope="col">{t.application}</th>
            </tr>
          </thead>
          <tbody>
            {coupon.history.map((e) => (
              <tr>
                <td>{formatInstant(e.at, lang)}</td>
                <td>
                  {e.fromState === null ? '' : `${stateLabel(lang, e.fromState)} → `}
                  {stateLabel(lang, e.toState)}
                </td>
                <td class="mono">{e.actor}</td>
                <td class="mono">{e.applicationId === null ? '' : <a href={`/console/applications/${e.applicationId}`}>{e.applicationId.slice(0, 8)}…</a>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ConsoleLayout>,
    );
  });

  app.post('/void', async (c) => {
    const number = (c.get('form')['number'] ?? '').slice(0, 40);
    const result = await voidCoupons(deps, { kind: 'coupon', couponNumber: number, actor: `operator:${operatorOf(c).operatorId}` });
    return c.redirect(`/console/coupons/lookup?number=${encodeURIComponent(number)}&done=${result.ok ? 'voided' : result.code}`, 303);
  });

  return app;
}
