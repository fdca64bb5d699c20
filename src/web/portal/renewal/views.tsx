import type { Child, FC } from 'hono/jsx';
import type { RenewalCandidateRow } from '../../../store/certificate-store.js';
import { formatDay } from '../../format.js';
import { Layout, PageHeading, type PageFrame } from '../../layout.js';
import { commonText } from '../../messages.js';
import { Csrf, LookupField } from '../lookup-fields.js';
import { renewalText } from './messages.js';

/** The renewal's own pages (SPEC 1.1 step 3): lookup, the uniform "nothing found", the choice. */
export const LookupPage: FC<{ frame: PageFrame; csrf: string; notice?: Child }> = ({ frame, csrf, notice }) => {
  const t = renewalText[frame.lang];
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepLookup}`}>
      <PageHeading flow={t.flow} step={t.stepLookup} />
      {notice}
      <p>{t.lookupIntro}</p>
      <ul class="notes">
        <li>{t.lookupWindow}</li>
        <li>{t.lookupCouponNote}</li>
        <li>
          <a href="/help/renew">{t.howToRenew}</a>
        </li>
      </ul>
      <form method="post" action="/renew/search" class="form narrow">
        <Csrf token={csrf} />
        <LookupField name="email" label={t.email} type="email" autocomplete="email" hint={t.emailHint} size="l" />
        <LookupField name="password" label={t.password} type="password" autocomplete="current-password" />
        <LookupField name="certificateCode" label={t.certificateCode} type="text" autocomplete="off" hint={t.certificateCodeHint} />
        <div class="actions">
          <button type="submit" class="primary">
            {t.search}
          </button>
        </div>
      </form>
    </Layout>
  );
};

/** The same page for every cause (SPEC 1.1 step 3). */
export const NotAvailablePage: FC<{ frame: PageFrame }> = ({ frame }) => {
  const t = renewalText[frame.lang];
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepSelect}`}>
      <PageHeading flow={t.flow} step={t.stepSelect} />
      <div class="notice" role="status">
        <p class="strong">{t.notAvailable}</p>
        <p>{t.zeroResults}</p>
      </div>
      <p>{t.notAvailableCauses}</p>
      <ul class="notes">
        <li>{t.notAvailableCause1}</li>
        <li>{t.notAvailableCause2}</li>
      </ul>
      <p class="actions">
        <a class="button" href="/renew">
          {commonText[frame.lang].back}
        </a>
      </p>
    </Layout>
  );
};

export const SelectPage: FC<{ frame: PageFrame; csrf: string; certificates: RenewalCandidateRow[] }> = ({ frame, csrf, certificates }) => {
  const t = renewalText[frame.lang];
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepSelect}`}>
      <PageHeading flow={t.flow} step={t.stepSelect} />
      <p role="status">{t.resultCount(certificates.length)}</p>
      <p>{t.selectIntro}</p>
      <table class="results">
        <thead>
          <tr>
            <th scope="col">{t.colName}</th>
            <th scope="col">{t.colOrganisation}</th>
            <th scope="col">{t.colEmail}</th>
            <th scope="col">{t.colSerial}</th>
            <th scope="col">{t.colNotAfter}</th>
            <th scope="col">{t.colAction}</th>
          </tr>
        </thead>
        <tbody>
          {certificates.map((c) => (
            <tr>
              <td>{c.nameJa}</td>
              <td>{c.orgNameJa}</td>
              <td>{c.email}</td>
              <td class="mono">{c.serialNumber.toUpperCase().slice(0, 16)}…</td>
              <td>{formatDay(c.notAfter, frame.lang)}</td>
              <td>
                <form method="post" action="/renew/select">
                  <Csrf token={csrf} />
                  <input type="hidden" name="certificateId" value={c.certificateId} />
                  <button type="submit" class="primary" aria-label={`${t.selectButton}: ${c.serialNumber.slice(0, 16)}`}>
                    {t.selectButton}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="actions">
        <a class="button" href="/renew">
          {commonText[frame.lang].back}
        </a>
      </p>
    </Layout>
  );
};
