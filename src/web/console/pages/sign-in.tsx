import { raw } from 'hono/html';
import { Hono } from 'hono';
import QRCode from 'qrcode';
import { describeOperatorSetup, enrolOperatorTotp, setOperatorPassword } from '../../../ra/set-up-operator.js';
import { signInOperator } from '../../../ra/sign-in-operator.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { clientKeyOf, raDepsOf } from '../../request.js';
import { Csrf } from '../../portal/lookup-fields.js';
import { errorMessage } from '../../portal/input-messages.js';
import { ownPath } from '../../own-path.js';
import { consoleFrameOf } from '../console-app.js';
import { ConsoleLayout } from '../layout.js';
import { consoleText } from '../messages.js';

/** Where a sign-in may return to: a console page, nothing else. */
const consoleNext = (next: string | undefined): string => {
  const path = ownPath(next);
  return path.startsWith('/console/') ? path : '/console/queue';
};

/** Sign-in (password + TOTP), sign-out, and the one-time set-up link (issue #7). */
export function signInPages(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const ra = raDepsOf(deps);

  app.get('/sign-in', (c) => {
    const t = consoleText[c.get('lang')];
    const frame = consoleFrameOf(c, deps, undefined, {
      failed: { kind: 'error', text: t.signInFailed },
      limited: { kind: 'error', text: t.signInLimited },
      signedOut: { kind: 'ok', text: t.signedOut },
      setUp: { kind: 'ok', text: t.setupDone },
    });
    if (frame.operator !== undefined) return c.redirect('/console/queue', 303);
    const next = c.req.query('next');
    return c.html(
      <ConsoleLayout frame={frame} title={t.signInTitle}>
        {next !== undefined && frame.flash === undefined && <p class="note">{t.sessionOver}</p>}
        <form method="post" action={`/console/sign-in${next === undefined ? '' : `?next=${encodeURIComponent(consoleNext(next))}`}`} class="sign-in">
          <Csrf token={frame.csrf} />
          <div class="field">
            <label for="email">{t.email}</label>
            <input id="email" name="email" type="email" autocomplete="username" required autofocus maxlength={254} />
          </div>
          <div class="field">
            <label for="password">{t.password}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required maxlength={128} />
          </div>
          <div class="field">
            <label for="code">{t.totpCode}</label>
            <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength={6} required />
          </div>
          <div class="actions">
            <button type="submit" class="primary">
              {t.signIn}
            </button>
          </div>
        </form>
      </ConsoleLayout>,
    );
  });

  app.post('/sign-in', async (c) => {
    const form = c.get('form');
    const result = await signInOperator(ra, { email: form['email'] ?? '', password: form['password'] ?? '', code: form['code'] ?? '', clientKey: clientKeyOf(c, deps) });
    if (!result.ok) return c.redirect(`/console/sign-in?done=${result.code === 'signIn.rateLimited' ? 'limited' : 'failed'}`, 303);
    c.get('consoleSession').start(result.value.operatorId);
    return c.redirect(consoleNext(c.req.query('next')), 303);
  });

  app.post('/sign-out', (c) => {
    c.get('consoleSession').end();
    return c.redirect('/console/sign-in?done=signedOut', 303);
  });

  // The set-up link: GET shows the step it is at, POST does it; the token in the path is the whole identification.
  app.get('/setup/:token', async (c) => {
    const t = consoleText[c.get('lang')];
    const lang = c.get('lang');
    const setup = await describeOperatorSetup(ra, c.req.param('token'));
    const errors = (c.req.query('error') ?? '').split(',').filter((e) => e !== '');
    const frame = consoleFrameOf(c, deps, undefined, { totpWrong: { kind: 'error', text: t.totpWrong } });
    if (setup === undefined) return c.html(<ConsoleLayout frame={frame} title={t.setupTitle}><p class="warn">{t.setupUnknown}</p></ConsoleLayout>, 404);
    const action = `/console/setup/${c.req.param('token')}`;
    if (setup.step === 'password') {
      const [field, code] = errors;
      return c.html(
        <ConsoleLayout frame={frame} title={t.setupTitle}>
          <form method="post" action={`${action}/password`} class="sign-in">
            <Csrf token={frame.csrf} />
            <p>{t.setupPasswordIntro(setup.email)}</p>
            <input type="email" name="username" value={setup.email} autocomplete="username" readonly hidden />
            {field !== undefined && code !== undefined && (
              <p class="flash flash-error" role="alert">
                {errorMessage(code as never, field as never, lang)}
              </p>
            )}
            <div class="field">
              <label for="password">{t.password}</label>
              <input id="password" name="password" type="password" autocomplete="new-password" required maxlength={128} autofocus />
            </div>
            <div class="field">
              <label for="passwordConfirm">{t.passwordAgain}</label>
              <input id="passwordConfirm" name="passwordConfirm" type="password" autocomplete="new-password" required maxlength={128} />
            </div>
            <div class="actions">
              <button type="submit" class="primary">
                {t.setPassword}
              </button>
            </div>
          </form>
        </ConsoleLayout>,
      );
    }
    // The QR code is drawn here, on the server, as SVG: no script, nothing fetched (CSP).
    const svg = await QRCode.toString(setup.totpUri ?? '', { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return c.html(
      <ConsoleLayout frame={frame} title={t.setupTitle}>
        <form method="post" action={`${action}/totp`} class="sign-in">
          <Csrf token={frame.csrf} />
          <p>{t.setupTotpIntro}</p>
          <div class="qr" role="img" aria-label={`${t.totpSecret}: ${setup.totpSecret ?? ''}`}>
            {raw(svg)}
          </div>
          <p>
            {t.totpSecret}: <span class="mono secret" id="totp-secret">{setup.totpSecret}</span>
          </p>
          <div class="field">
            <label for="code">{t.totpCode}</label>
            <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength={6} required autofocus />
          </div>
          <div class="actions">
            <button type="submit" class="primary">
              {t.enrol}
            </button>
          </div>
        </form>
      </ConsoleLayout>,
    );
  });

  app.post('/setup/:token/password', async (c) => {
    const token = c.req.param('token');
    const form = c.get('form');
    const result = await setOperatorPassword(ra, { token, password: form['password'] ?? '', confirmation: form['passwordConfirm'] ?? '' });
    if (!result.ok && result.code === 'form.invalid') {
      const [field, code] = Object.entries(result.errors)[0] ?? [];
      // Field and code only: the words are the portal's password messages.
      return c.redirect(`/console/setup/${token}?error=${encodeURIComponent(`${field ?? ''},${code ?? ''}`)}`, 303);
    }
    return c.redirect(`/console/setup/${token}`, 303);
  });

  app.post('/setup/:token/totp', async (c) => {
    const token = c.req.param('token');
    const result = await enrolOperatorTotp(ra, { token, code: c.get('form')['code'] ?? '' });
    if (result.ok) return c.redirect('/console/sign-in?done=setUp', 303);
    return c.redirect(result.code === 'setup.unknown' ? `/console/setup/${token}` : `/console/setup/${token}?done=totpWrong`, 303);
  });

  return app;
}
