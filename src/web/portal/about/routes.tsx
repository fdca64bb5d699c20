import { Hono } from 'hono';
import type { Child, FC } from 'hono/jsx';
import type { WebDeps, WebEnv } from '../../env.js';
import { Layout, PageHeading, type PageFrame } from '../../layout.js';
import { commonText } from '../../messages.js';
import { frameOf } from '../../request.js';
import { Item } from '../confirmation-table.js';
import { aboutText } from './messages.js';

const AboutPage: FC<{ frame: PageFrame; title: string; children?: Child }> = ({ frame, title, children }) => {
  const t = aboutText[frame.lang];
  return (
    <Layout frame={frame} title={`${t.flow} - ${title}`}>
      <PageHeading flow={t.flow} step={title} />
      {children}
      <p class="actions">
        <a href="/help">{t.backToIndex}</a>
      </p>
    </Layout>
  );
};

/** Mounted at /help: who runs this CA and where to ask (SPEC 1.8), and the steps to issuance. */
export function aboutRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const { operator } = deps.site;

  app.get('/contact', (c) => {
    const t = aboutText[c.get('lang')];
    return c.html(
      <AboutPage frame={frameOf(c, deps)} title={t.contactTitle}>
        <p>{t.contactIntro(operator.name)}</p>
        <dl class="readback">
          <Item label={t.operator} value={operator.name} />
          <div class="row">
            <dt class="label">{t.supportDesk}</dt>
            <dd class="control">
              <a href={operator.supportUrl}>{operator.supportUrl}</a>
            </dd>
          </div>
          {operator.supportPhone !== undefined && <Item label={t.phone} value={operator.supportPhone} />}
          <Item label={t.hours} value={operator.supportHours} />
        </dl>
        <p class="note">{t.contactNote}</p>
        <h2>{t.suspiciousMailTitle}</h2>
        <p>{t.suspiciousMail}</p>
      </AboutPage>,
    );
  });

  app.get('/repository', (c) => {
    const t = aboutText[c.get('lang')];
    return c.html(
      <AboutPage frame={frameOf(c, deps)} title={t.repositoryTitle}>
        <p>{t.repositoryIntro(operator.name)}</p>
        <ul class="notes">
          {t.repositoryItems.map((item) => (
            <li>{item}</li>
          ))}
        </ul>
        <p>
          <a class="button" href={operator.repositoryUrl}>
            {t.repositoryLink}
          </a>
        </p>
      </AboutPage>,
    );
  });

  app.get('/terms', (c) => {
    const t = aboutText[c.get('lang')];
    return c.html(
      <AboutPage frame={frameOf(c, deps)} title={t.termsTitle}>
        <p>{t.termsBody(operator.name)}</p>
        <p>
          <a href={operator.repositoryUrl}>{t.repositoryLink}</a>
        </p>
      </AboutPage>,
    );
  });

  app.get('/privacy', (c) => {
    const t = aboutText[c.get('lang')];
    return c.html(
      <AboutPage frame={frameOf(c, deps)} title={t.privacyTitle}>
        <p>{commonText[c.get('lang')].privacyNote(operator.name)}</p>
        <p>{t.privacyCollected}</p>
        <p>
          <a href={operator.supportUrl}>{t.contactTitle}</a>
        </p>
      </AboutPage>,
    );
  });

  app.get('/flow', (c) => {
    const t = aboutText[c.get('lang')];
    return c.html(
      <AboutPage frame={frameOf(c, deps)} title={t.flowTitle}>
        <p>{t.flowIntro}</p>
        <ol class="flow-steps">
          {t.flowSteps.map((step) => (
            <li>{step}</li>
          ))}
        </ol>
        <p>
          <a class="button primary" href="/status">
            {t.toStatus}
          </a>
        </p>
      </AboutPage>,
    );
  });

  return app;
}
