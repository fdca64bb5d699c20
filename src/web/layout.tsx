import { raw } from 'hono/html';
import type { Child, FC } from 'hono/jsx';
import { fullProductName, type Site } from '../domain/site.js';
import type { Lang } from './env.js';
import { commonText } from './messages.js';

export interface PageFrame {
  lang: Lang;
  site: Site;
  /** The current GET path, for the language switch to come back to. */
  path: string;
}

export const Layout: FC<{ frame: PageFrame; title: string; scripts?: readonly string[]; children?: Child }> = ({ frame, title, scripts, children }) => {
  const t = commonText[frame.lang];
  const switchHref = `/lang/${t.switchLanguageLang}?next=${encodeURIComponent(frame.path)}`;
  return (
    <>
    {/* Standards mode, not quirks mode. */}
    {raw('<!DOCTYPE html>')}
    <html lang={frame.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} | ${fullProductName(frame.site)}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        {(scripts ?? []).map((src) => (
          <script src={src} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          {t.skipToContent}
        </a>
        <header class="site-header">
          <div class="brand">
            {/* The seed's two lines: brand, then product. */}
            <a href="/">
              <span class="brand-line1">{frame.site.brandName}</span>
              <span class="brand-line2">{frame.site.productName}</span>
            </a>
          </div>
          <nav aria-label={t.menuLabel}>
            <ul>
              <li><a href="/new">{t.navNew}</a></li>
              <li><a href="/renew">{t.navRenew}</a></li>
              <li><a href="/pickup">{t.navPickup}</a></li>
              <li><a href="/cancel">{t.navCancel}</a></li>
              <li><a href="/status">{t.navStatus}</a></li>
              <li><a href="/revoke">{t.navRevoke}</a></li>
              <li><a href="/help">{t.navHelp}</a></li>
              <li>
                <a href={switchHref} lang={t.switchLanguageLang} hreflang={t.switchLanguageLang}>
                  {t.switchLanguage}
                </a>
              </li>
            </ul>
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer class="site-footer">
          <nav aria-label={t.footerLabel}>
            <ul>
              <li><a href={frame.site.operator.supportUrl}>{t.footerContact}</a></li>
              <li><a href="/help/terms">{t.footerTerms}</a></li>
              <li><a href="/help/privacy">{t.footerPrivacy}</a></li>
              <li><a href={frame.site.operator.repositoryUrl}>{t.footerRepository}</a></li>
            </ul>
          </nav>
          <p class="copyright">© {frame.site.operator.name}</p>
        </footer>
      </body>
    </html>
    </>
  );
};

/** The two-line page heading of the seed: product, then "flow - step". */
export const PageHeading: FC<{ flow: string; step: string }> = ({ flow, step }) => (
  <h1>
    <span class="flow">{flow}</span>
    <span class="sep"> - </span>
    <span class="step">{step}</span>
  </h1>
);

export const MessagePage: FC<{ frame: PageFrame; title: string; body: string; link?: { href: string; label: string }; reference?: string }> = ({
  frame,
  title,
  body,
  link,
  reference,
}) => (
  <Layout frame={frame} title={title}>
    <h1>{title}</h1>
    <p>{body}</p>
    {reference !== undefined && (
      <p>
        {commonText[frame.lang].errorReference}
        <code>{reference}</code>
      </p>
    )}
    {link !== undefined && (
      <p>
        <a class="button" href={link.href}>
          {link.label}
        </a>
      </p>
    )}
  </Layout>
);
