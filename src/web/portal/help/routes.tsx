import { Hono } from 'hono';
import type { Child, FC } from 'hono/jsx';
import { titleRomajiSymbols } from '../../../domain/input/registration.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { Layout, PageHeading, type PageFrame } from '../../layout.js';
import { frameOf } from '../../request.js';
import { helpText, type HelpStep } from './messages.js';

/** The help pages, in the order the index lists them. */
export const helpTopics = ['environment', 'renew', 'cancel', 'maintenance', 'romaji'] as const;
export type HelpTopic = (typeof helpTopics)[number];

const topicPaths: Record<HelpTopic, string> = {
  environment: '/help/environment',
  renew: '/help/renew',
  cancel: '/help/cancel',
  maintenance: '/help/maintenance',
  romaji: '/help/romaji-characters',
};

/** One help page: 「ヘルプ - <topic>」, its body, the way on, and the way back to the index. */
const HelpPage: FC<{ frame: PageFrame; topic: HelpTopic; links: { href: string; label: string }[]; children?: Child }> = ({
  frame,
  topic,
  links,
  children,
}) => {
  const t = helpText[frame.lang];
  const title = t.topics[topic].title;
  return (
    <Layout frame={frame} title={`${t.flow} - ${title}`}>
      <PageHeading flow={t.flow} step={title} />
      {children}
      <p class="actions">
        {links.map((link, i) => (
          <a class={i === 0 ? 'button primary' : 'button'} href={link.href}>
            {link.label}
          </a>
        ))}
        <a href="/help">{t.backToIndex}</a>
      </p>
    </Layout>
  );
};

const Steps: FC<{ steps: HelpStep[]; notePrefix: string }> = ({ steps, notePrefix }) => (
  <ol class="notes">
    {steps.map((step) => (
      <li>
        {step.text}
        {step.note !== undefined && <span class="hint">{`${notePrefix}${step.note}`}</span>}
        {step.link !== undefined && (
          <span class="hint">
            <a href={step.link.href}>{step.link.label}</a>
          </span>
        )}
      </li>
    ))}
  </ol>
);

/** Mounted at /help (SPEC 1.6): how-to pages for each flow and the supported environment. */
export function helpRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/', (c) => {
    const t = helpText[c.get('lang')];
    return c.html(
      <Layout frame={frameOf(c, deps)} title={t.flow}>
        <h1>{t.flow}</h1>
        <p class="lead">{t.indexLead}</p>
        <ul class="cards">
          {helpTopics.map((topic) => (
            <li>
              <a href={topicPaths[topic]}>
                <span class="card-title">{t.topics[topic].title}</span>
                <span class="card-body">{t.topics[topic].summary}</span>
              </a>
            </li>
          ))}
        </ul>
      </Layout>,
    );
  });

  app.get('/environment', (c) => {
    const t = helpText[c.get('lang')];
    return c.html(
      <HelpPage frame={frameOf(c, deps)} topic="environment" links={[{ href: '/pickup', label: t.toPickup }, { href: '/new', label: t.toNew }]}>
        <p>{t.environmentIntro}</p>
        <section aria-labelledby="browsers">
          <h2 id="browsers">{t.browsersHeading}</h2>
          <ul class="notes">
            {t.browsers.map((browser) => (
              <li>{browser}</li>
            ))}
          </ul>
          <p class="note">{t.browsersNote}</p>
        </section>
        <section aria-labelledby="settings">
          <h2 id="settings">{t.settingsHeading}</h2>
          <ul class="notes">
            {t.settings.map((setting) => (
              <li>{setting}</li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="key">
          <h2 id="key">{t.keyHeading}</h2>
          <p>{t.keyBody}</p>
        </section>
        <section aria-labelledby="file">
          <h2 id="file">{t.fileHeading}</h2>
          <p>{t.fileIntro}</p>
          <dl class="readback">
            <div class="row">
              <dt class="label">{t.fileStandardName}</dt>
              <dd class="control">{t.fileStandardFor}</dd>
            </div>
            <div class="row">
              <dt class="label">{t.fileCompatibleName}</dt>
              <dd class="control">{t.fileCompatibleFor}</dd>
            </div>
          </dl>
          <p class="note">{t.fileChoiceNote}</p>
        </section>
        <section aria-labelledby="wrong-password">
          <h2 id="wrong-password">{t.wrongPasswordHeading}</h2>
          <p class="important">{t.wrongPasswordBody}</p>
        </section>
        <section aria-labelledby="file-password">
          <h2 id="file-password">{t.filePasswordHeading}</h2>
          <p>{t.filePasswordBody}</p>
        </section>
      </HelpPage>,
    );
  });

  app.get('/renew', (c) => {
    const t = helpText[c.get('lang')];
    return c.html(
      <HelpPage
        frame={frameOf(c, deps)}
        topic="renew"
        links={[
          { href: '/renew', label: t.toRenew },
          { href: '/new', label: t.toNew },
          { href: '/maintenance', label: t.toMaintenance },
        ]}
      >
        <p>{t.renewIntro}</p>
        <p class="important">{t.renewCouponImportant}</p>
        <Steps steps={t.renewSteps(`【${deps.site.brandName}】${deps.site.productName}`)} notePrefix={t.notePrefix} />
        <p class="important">{t.renewFixNote}</p>
        <p class="important">{t.renewMaintenanceNote}</p>
      </HelpPage>,
    );
  });

  app.get('/cancel', (c) => {
    const t = helpText[c.get('lang')];
    return c.html(
      <HelpPage
        frame={frameOf(c, deps)}
        topic="cancel"
        links={[
          { href: '/cancel', label: t.toCancel },
          { href: '/maintenance', label: t.toMaintenance },
        ]}
      >
        <p>{t.cancelIntro}</p>
        <section aria-labelledby="needs">
          <h2 id="needs">{t.cancelNeedHeading}</h2>
          <ul class="notes">
            {t.cancelNeeds.map((need) => (
              <li>{need}</li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="steps">
          <h2 id="steps">{t.cancelStepsHeading}</h2>
          <ol class="notes">
            {t.cancelSteps.map((step) => (
              <li>{step}</li>
            ))}
          </ol>
        </section>
        <section aria-labelledby="refused">
          <h2 id="refused">{t.cancelAfterHeading}</h2>
          <ul class="notes">
            {t.cancelAfter.map((reason) => (
              <li>{reason}</li>
            ))}
          </ul>
          <p class="important">{t.cancelMaintenanceNote}</p>
        </section>
      </HelpPage>,
    );
  });

  app.get('/maintenance', (c) => {
    const t = helpText[c.get('lang')];
    return c.html(
      <HelpPage frame={frameOf(c, deps)} topic="maintenance" links={[{ href: '/maintenance', label: t.toMaintenance }]}>
        <p>{t.maintenanceIntro}</p>
        <section aria-labelledby="unavailable">
          <h2 id="unavailable">{t.maintenanceUnavailableHeading}</h2>
          <p>{t.maintenanceUnavailable}</p>
          <p>{t.maintenanceAvailable}</p>
        </section>
        <section aria-labelledby="pending">
          <h2 id="pending">{t.maintenancePendingHeading}</h2>
          <ul class="notes">
            {t.maintenancePending.map((item) => (
              <li>{item}</li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="before">
          <h2 id="before">{t.maintenanceWarningHeading}</h2>
          <p>{t.maintenanceWarning}</p>
        </section>
      </HelpPage>,
    );
  });

  app.get('/romaji-characters', (c) => {
    const t = helpText[c.get('lang')];
    return c.html(
      <HelpPage frame={frameOf(c, deps)} topic="romaji" links={[{ href: '/new', label: t.toNew }, { href: '/renew', label: t.toRenew }]}>
        <p>{t.romajiBody}</p>
        <table class="results narrow">
          <thead>
            <tr>
              <th scope="col">{t.symbolColumn}</th>
              <th scope="col">{t.symbolNameColumn}</th>
            </tr>
          </thead>
          <tbody>
            {titleRomajiSymbols.map((symbol) => (
              <tr>
                <td class="mono">{symbol}</td>
                <td>{t.symbolNames[symbol] ?? symbol}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="note">{t.romajiExample}</p>
      </HelpPage>,
    );
  });

  return app;
}
