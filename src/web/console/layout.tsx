import { raw } from 'hono/html';
import type { Child, FC } from 'hono/jsx';
import { can, type ConsoleAction } from '../../domain/operator.js';
import type { Lang } from '../env.js';
import { Csrf } from '../portal/lookup-fields.js';
import type { SignedInOperator } from './console-session.js';
import { consoleText } from './messages.js';

export interface ConsoleFrame {
  lang: Lang;
  brandName: string;
  operator: SignedInOperator | undefined;
  csrf: string;
  /** The current section, for aria-current in the menu. */
  section?: string;
  /** A one-line result of the last action (after a redirect). */
  flash?: { kind: 'ok' | 'error'; text: string } | undefined;
}

const sections: { key: string; href: string; action: ConsoleAction; label: (t: (typeof consoleText)[Lang]) => string }[] = [
  { key: 'queue', href: '/console/queue', action: 'review', label: (t) => t.navQueue },
  { key: 'certificates', href: '/console/certificates', action: 'viewCertificates', label: (t) => t.navCertificates },
  { key: 'coupons', href: '/console/coupons', action: 'manageCoupons', label: (t) => t.navCoupons },
  { key: 'maintenance', href: '/console/maintenance', action: 'manageMaintenance', label: (t) => t.navMaintenance },
  { key: 'mail', href: '/console/mail', action: 'viewMail', label: (t) => t.navMail },
  { key: 'audit', href: '/console/audit', action: 'viewAudit', label: (t) => t.navAudit },
];

/**
 * The console's frame: a dense tool for people who use it all day — a top bar with the
 * sections their role may open (access keys 1–6), the page, nothing else.
 */
export const ConsoleLayout: FC<{ frame: ConsoleFrame; title: string; children?: Child }> = ({ frame, title, children }) => {
  const t = consoleText[frame.lang];
  const operator = frame.operator;
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={frame.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          <meta name="robots" content="noindex, nofollow" />
          <title>{`${title} | ${frame.brandName} ${t.title}`}</title>
          <link rel="stylesheet" href="/static/console.css" />
        </head>
        <body class="console">
          <header class="console-bar">
            <a class="console-brand" href="/console/queue">
              {frame.brandName} {t.title}
            </a>
            {operator !== undefined && (
              <nav aria-label={t.title}>
                <ul>
                  {sections
                    .filter((s) => can(operator.role, s.action))
                    .map((s, i) => (
                      <li>
                        <a href={s.href} accesskey={String(i + 1)} aria-current={frame.section === s.key ? 'page' : undefined}>
                          {s.label(t)}
                        </a>
                      </li>
                    ))}
                </ul>
              </nav>
            )}
            {operator !== undefined && (
              <form method="post" action="/console/sign-out" class="console-who">
                <Csrf token={frame.csrf} />
                <span>{t.signedInAs(operator.email, t.roles[operator.role])}</span> <button type="submit">{t.signOut}</button>
              </form>
            )}
          </header>
          <main id="main" class="console-main">
            <h1>{title}</h1>
            {frame.flash !== undefined && (
              <p class={`flash flash-${frame.flash.kind}`} role={frame.flash.kind === 'error' ? 'alert' : 'status'}>
                {frame.flash.text}
              </p>
            )}
            {children}
          </main>
        </body>
      </html>
    </>
  );
};
