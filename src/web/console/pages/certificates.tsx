import { Hono } from 'hono';
import { canonicalCertificateCode } from '../../../domain/certificate-code.js';
import { hashCertificateCode } from '../../../ra/find-renewable-certificates.js';
import { findCertificateDetail, listRenewalChain, searchCertificates, type CertificateListRow } from '../../../store/certificate-store.js';
import type { Lang, WebDeps, WebEnv } from '../../env.js';
import { formatDay, formatInstant } from '../../format.js';
import { consoleFrameOf, requireAction } from '../console-app.js';
import { ConsoleLayout } from '../layout.js';
import { consoleText } from '../messages.js';

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);

const CertificateTable = ({ lang, rows, current }: { lang: Lang; rows: CertificateListRow[]; current?: string }) => {
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
            <td>{r.status === 'valid' ? t.certificateValid : t.certificateRevoked}</td>
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
        {q.length >= 2 && (rows.length === 0 ? <p>{t.noResults}</p> : <CertificateTable lang={lang} rows={rows} />)}
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
    return c.html(
      <ConsoleLayout frame={consoleFrameOf(c, deps, 'certificates')} title={`${t.certificateTitle} ${certificate.serialNumber.slice(0, 16)}…`}>
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
              {certificate.status === 'valid' ? t.certificateValid : t.certificateRevoked}
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
        <h2>{t.renewals}</h2>
        <CertificateTable lang={lang} rows={chain} current={id} />
      </ConsoleLayout>,
    );
  });

  return app;
}
