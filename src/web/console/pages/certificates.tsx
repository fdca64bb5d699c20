import { Hono } from 'hono';
import { can } from '../../../domain/operator.js';
import { subscriberRevocationReasons } from '../../../domain/revocation-reason.js';
import { revokeCertificate } from '../../../ra/revoke-certificate.js';
import { raDepsOf } from '../../request.js';
import { Csrf } from '../../portal/lookup-fields.js';
import { canonicalCertificateCode } from '../../../domain/certificate-code.js';
import { hashCertificateCode } from '../../../ra/find-renewable-certificates.js';
import { findCertificateDetail, listRenewalChain, searchCertificates, type CertificateListRow } from '../../../store/certificate-store.js';
import type { Lang, WebDeps, WebEnv } from '../../env.js';
import { formatDay, formatInstant } from '../../format.js';
import { consoleFrameOf, operatorOf, requireAction } from '../console-app.js';
import { ConsoleLayout } from '../layout.js';
import { consoleText } from '../messages.js';
import { certificateStanding } from '../../../domain/certificate-standing.js';

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);

/** The console's words for how a certificate stands. */
const standingText = (lang: Lang, certificate: { status: 'valid' | 'revoked'; notAfter: Date }, now: Date): string => {
  const t = consoleText[lang];
  return { valid: t.certificateValid, expired: t.certificateExpired, revoked: t.certificateRevoked }[certificateStanding(certificate, now)];
};

const CertificateTable = ({ lang, rows, current, now }: { lang: Lang; rows: CertificateListRow[]; current?: string; now: Date }) => {
  const t = consoleText[lang];
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t.colSerial}</th>
          <th scope="col">{t.colName}</th>
          <th scope="col">{t.colEmail}</th>
          <th scope="col">{t.notBefore}</th>
          <th scope="col">{t.colNotAfter}</th>
          <th scope="col">{t.colStatus}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr aria-current={r.id === current ? 'true' : undefined}>
            <td class="mono">
              <a href={`/console/certificates/${r.id}`}>{r.serialNumber.slice(0, 16)}…</a>
            </td>
            <td>{r.nameJa}</td>
            <td>{r.email}</td>
            <td>{formatDay(r.notBefore, lang)}</td>
            <td>{formatDay(r.notAfter, lang)}</td>
            <td>{standingText(lang, r, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

/** Certificates (issue #7): search by email, name, serial or certificate code; detail with the chain of renewals. */
export function certificatePages(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use(requireAction(deps, 'viewCertificates'));

  app.get('/', async (c) => {
    const lang = c.get('lang');
    const t = consoleText[lang];
    const q = (c.req.query('q') ?? '').trim().slice(0, 100);
    const code = canonicalCertificateCode(q);
    const rows = q.length < 2 ? [] : await searchCertificates(deps.db, { text: q, codeHash: code === undefined ? undefined : hashCertificateCode(code) }, 200);
    return c.html(
      <ConsoleLayout frame={consoleFrameOf(c, deps, 'certificates')} title={t.certificatesTitle}>
        <form method="get" action="/console/certificates" class="filters" role="search">
          <div>
            <label for="q">{t.certificatesQuery}</label>
            <input id="q" name="q" type="search" value={q} size={48} maxlength={100} autofocus />
          </div>
          <button type="submit">{t.search}</button>
        </form>
        {q.length >= 2 && (rows.length === 0 ? <p>{t.noResults}</p> : <CertificateTable lang={lang} rows={rows} now={deps.clock.now()} />)}
      </ConsoleLayout>,
    );
  });

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    const lang = c.get('lang');
    const t = consoleText[lang];
    const certificate = isUuid(id) ? await findCertificateDetail(deps.db, id) : undefined;
    if (certificate === undefined) return c.notFound();
    const chain = await listRenewalChain(deps.db, id);
    const flashes = {
      revoked: { kind: 'ok' as const, text: t.revokeDone },
      revokedCrlLater: { kind: 'ok' as const, text: t.revokeDoneCrlLater },
      revokedSameKey: { kind: 'ok' as const, text: t.revokeDoneSameKey },
      ...Object.fromEntries(Object.entries(t.revokeRefused).map(([code, text]) => [code, { kind: 'error' as const, text }])),
    };
    const frame = consoleFrameOf(c, deps, 'certificates', flashes);
    const mayRevoke = certificate.status === 'valid' && can(operatorOf(c).role, 'revokeCertificates');
    return c.html(
      <ConsoleLayout frame={frame} title={`${t.certificateTitle} ${certificate.serialNumber.slice(0, 16)}…`}>
        <div class="panel">
          <dl class="facts">
            <dt>{t.colSerial}</dt>
            <dd class="mono">{certificate.serialNumber}</dd>
            <dt>{t.subject}</dt>
            <dd class="mono">{certificate.subjectDn}</dd>
            <dt>{t.colName}</dt>
            <dd>{certificate.nameJa}</dd>
            <dt>{t.colEmail}</dt>
            <dd>{certificate.email}</dd>
            <dt>{t.notBefore}</dt>
            <dd>{formatInstant(certificate.notBefore, lang)}</dd>
            <dt>{t.notAfter}</dt>
            <dd>{formatInstant(certificate.notAfter, lang)}</dd>
            <dt>{t.colStatus}</dt>
            <dd>
              {standingText(lang, certificate, deps.clock.now())}
              {certificate.revokedAt !== null ? ` (${formatInstant(certificate.revokedAt, lang)}, ${certificate.revocationReason ?? ''})` : ''}
            </dd>
            {certificate.applicationId !== null && (
              <>
                <dt>{t.application}</dt>
                <dd>
                  <a href={`/console/applications/${certificate.applicationId}`}>{certificate.applicationId}</a>
                </dd>
              </>
            )}
          </dl>
        </div>
        {mayRevoke && (
          <div class="panel">
            <h2>{t.revokeHeading}</h2>
            <form method="post" action={`/console/certificates/${id}/revoke`} class="field">
              <Csrf token={frame.csrf} />
              <div class="field">
                <label for="reason">{t.revokeReason}</label>
                <select id="reason" name="reason" required>
                  <option value="">{t.revokeChooseReason}</option>
                  {subscriberRevocationReasons.map((r) => (
                    <option value={r}>{t.revokeReasons[r]}</option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="note">{t.revokeNote}</label>
                <textarea id="note" name="note" rows={3} cols={40} maxlength={1000} required></textarea>
              </div>
              <div class="field">
                <label>
                  <input type="checkbox" name="confirm" value="1" required /> {t.revokeConfirm}
                </label>
              </div>
              <button type="submit" class="danger">
                {t.revokeSubmit}
              </button>
            </form>
          </div>
        )}
        <h2>{t.renewals}</h2>
        <CertificateTable lang={lang} rows={chain} current={id} now={deps.clock.now()} />
      </ConsoleLayout>,
    );
  });

  app.post('/:id/revoke', requireAction(deps, 'revokeCertificates'), async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) return c.notFound();
    const form = c.get('form');
    const note = (form['note'] ?? '').trim();
    const back = (done: string) => c.redirect(`/console/certificates/${id}?done=${encodeURIComponent(done)}`, 303);
    if (note === '' || form['confirm'] !== '1') return back('revocation.noteMissing');
    // The form allows 1,000 characters; the audit entry keeps the note as written, or refuses it.
    if ([...note].length > 1000) return back('revocation.noteTooLong');
    const operator = operatorOf(c);
    const result = await revokeCertificate({ ...raDepsOf(deps), ca: deps.ca }, { certificateId: id, reason: form['reason'] ?? '', actor: `operator:${operator.operatorId}`, at: deps.clock.now(), note });
    if (!result.ok) return back(result.code);
    if (result.value.crlNumber === undefined) return back('revokedCrlLater');
    return back(result.value.sameKeyRevoked.length > 0 ? 'revokedSameKey' : 'revoked');
  });

  return app;
}
