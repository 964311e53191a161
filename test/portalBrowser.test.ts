// Issue 18: seed 000's panel walked click by click in Chromium. A dead URL exhausts its hour of attempts (G3) and is
// deactivated (G4); the "Falha na URL de callback" e-mail links to the portal, whose page e-mails a fresh sign-in link;
// the URL shows inativa with its reason; Testar fails, the receiver is fixed, Testar passes, Ativar (G6); Logs,
// filter "não", select all, "Reenviar callback", "sim" (G7, G8): the receiver gets exactly those notifications and the
// log shows "sim". axe-core runs on every page (0 serious or critical violations) and no page breaks its CSP; each
// page is kept as a screenshot in test-artifacts/. Real parts only: dev server, API and worker, loopback receiver,
// loopback SMTP server, Debian's chromium.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEACTIVATION_SUBJECT } from '../activities/sendDeactivationEmail';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { Receiver } from './support/receiver';
import { bodyText, header, SmtpCatcher } from './support/smtpCatcher';
import { testConfig } from './support/testConfig';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const missing = existsSync(executablePath) ? undefined
  : `No Chromium at ${executablePath}: apt-get install chromium (or set CHROMIUM_PATH)`;
const artifacts = path.resolve(__dirname, '../test-artifacts');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const merchant = 'loja-seed-000';
const endpoint = 'gerencianetNotificationUrl';

let stack: DevStack;
let receiver: Receiver;
let smtp: SmtpCatcher;
let browser: Browser;
let shop: Account;
/** Charge → its notification's token (what the receiver gets as `notification=`). */
const tokens = new Map<string, string>();

async function chargePaid(chargeId: string) {
  const res = await shop.call('POST', `/v1/merchants/${merchant}/charges/${chargeId}/status-changes`, { currentStatus: 'paid' });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  tokens.set(chargeId, res.body.token);
}

before(async () => {
  if (missing) return;
  mkdirSync(artifacts, { recursive: true });
  smtp = await SmtpCatcher.start();
  receiver = await Receiver.start();
  // Gerencianet's hour of ten attempts in about a second.
  stack = await startDevStack(testConfig({
    RETRY_DELAY_DIVISOR: '3600', CALLBACK_TIMEOUT_MS: '2000', SMTP_URL: smtp.url, TEMPORAL_TASK_QUEUE: 'arauto-portal-browser-test',
  }));
  shop = await stack.as(merchant, 'financeiro@loja-seed.example');
  const registered = await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, {
    [endpoint]: `${receiver.url}/callback`, notificationEmail: 'financeiro@loja-seed.example',
  });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
  // 1000 is delivered; 1001 fails every attempt and the URL is deactivated; 1002 and 1003 arrive while it is inactive.
  await chargePaid('1000');
  await receiver.waitFor('/callback', 1);
  receiver.respond([], 500);
  await chargePaid('1001');
  await smtp.until(1);
  await eventually(async () => (await shop.call('GET', `/v1/merchants/${merchant}/endpoints`)).body,
    (m) => m.endpoints[endpoint].status === 'inactive');
  await chargePaid('1002');
  await chargePaid('1003');
  browser = await chromium.launch({ executablePath });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await receiver?.stop();
  await smtp?.stop();
});

/** The portal's link in an e-mail, pointed at this test's API (the e-mail names PUBLIC_API_URL). */
function portalLinkIn(raw: string, pathname: string): string {
  const found = new RegExp(`https?://[^\\s]+${pathname.replace(/[?]/g, '\\?')}[^\\s]*`).exec(bodyText(raw))?.[0];
  assert.ok(found, `no ${pathname} link in:\n${bodyText(raw)}`);
  const url = new URL(found);
  return `${stack.base}${url.pathname}${url.search}`;
}

const violations: string[] = [];
let shots = 0;

/** axe-core in the page (injected through the DevTools protocol, which the page's CSP does not govern), then a screenshot. */
async function checkPage(page: Page, name: string) {
  await page.waitForLoadState('load');
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as any).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n: any) => n.target.join(' ')) }));
  }) as { id: string; impact: string; nodes: string[] }[];
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], `axe on ${name} (${page.url()})`);
  await page.screenshot({ path: path.join(artifacts, `portal-${String(++shots).padStart(2, '0')}-${name}.png`), fullPage: true });
}

test('seed 000 end to end in the browser: e-mail → portal → Testar → Ativar → Logs → "não" → Reenviar callback → sim',
  { skip: !process.env.CI && missing }, async () => {
    if (missing) assert.fail(missing); // in CI a missing browser is a failure, not a skip
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
    const page = await context.newPage();
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()); });

    // G4: the e-mail, and its link to the URL's page; that page e-mails a fresh sign-in link (scanners spend nothing).
    const [deactivation] = smtp.messages;
    assert.equal(header(deactivation.raw, 'subject'), DEACTIVATION_SUBJECT);
    await page.goto(portalLinkIn(deactivation.raw, '/portal/entrar?'));
    await checkPage(page, 'entrar');
    assert.equal(await page.getByLabel('Conta').inputValue(), merchant);
    await page.getByRole('button', { name: 'Enviar link de acesso' }).click();
    await page.getByText('enviamos a ele um link de acesso').waitFor();
    const [signInMail] = (await smtp.until(2)).slice(1);
    assert.deepEqual(signInMail.to, ['financeiro@loja-seed.example']);
    await page.goto(portalLinkIn(signInMail.raw, '/portal/acesso?'));
    await checkPage(page, 'acesso');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL(new RegExp(`/portal/integracoes/${endpoint}$`));

    // The URL's page: inativa, since when and why (G9).
    await page.getByText('inativa', { exact: true }).first().waitFor();
    await checkPage(page, 'integracao-inativa');

    // G6: Testar fails while the receiver is down (by keyboard: focus and Enter).
    await page.getByRole('button', { name: 'Testar' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('falhou').first().waitFor();
    await checkPage(page, 'teste-falhou');

    receiver.respond([], 200); // the merchant fixes its server
    await page.getByRole('button', { name: 'Testar' }).click();
    await page.getByText('passou').first().waitFor();
    await page.getByRole('button', { name: 'Ativar' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('ativa', { exact: true }).first().waitFor();
    await checkPage(page, 'integracao-ativa');

    // G7: the URL's log, filtered on "não": 1001, 1002, 1003 (1000 was sent).
    await page.getByRole('link', { name: 'Logs' }).first().click();
    await checkPage(page, 'logs');
    await page.getByLabel('Enviado').selectOption({ label: 'não' });
    await page.getByRole('button', { name: 'Filtrar' }).click();
    await page.waitForURL(/enviado=nao/);
    const unsent = ['1001', '1002', '1003'];
    const rows = page.locator('tbody tr');
    assert.deepEqual((await rows.allTextContents()).map((t) => /\b(100\d)\b/.exec(t)?.[1]).sort(), unsent);
    await checkPage(page, 'logs-nao');

    // G8: select all, Reenviar callback, the confirmation says how many, sim.
    await page.getByLabel('Selecionar todas').check();
    for (const box of await page.locator('tbody input[type=checkbox]').all()) assert.equal(await box.isChecked(), true);
    await page.screenshot({ path: path.join(artifacts, 'portal-logs-selecionadas.png') }); // the README's picture
    const postsBefore = receiver.requests.length;
    await page.getByRole('button', { name: 'Reenviar callback' }).click();
    await page.getByText('3 notificações serão reenviadas').waitFor();
    await checkPage(page, 'reenvio-confirmacao');
    await page.getByRole('button', { name: 'sim' }).click();
    await page.waitForURL(/\/portal\/reenvios\//);
    await checkPage(page, 'reenvio-progresso');
    await page.getByText('Reenvio concluído').waitFor({ timeout: 120_000 }); // the page refreshes itself until then

    // The receiver gets exactly those three notifications, once each.
    await receiver.until(() => receiver.requests.length >= postsBefore + unsent.length);
    const resent = receiver.requests.slice(postsBefore).map((r) => new URLSearchParams(r.body).get('notification'));
    assert.deepEqual(resent.sort(), unsent.map((c) => tokens.get(c)).sort());

    // The log shows "sim" for every one (visibility catches up: reload until it does).
    await page.goto(`${stack.base}/portal/integracoes/${endpoint}/logs`);
    await eventually(async () => {
      await page.reload();
      return (await page.locator('tbody tr').allTextContents()).filter((t) => /\bnão\b/.test(t)).length;
    }, (n) => n === 0);
    assert.equal(await page.locator('tbody tr').count(), 4);
    await checkPage(page, 'logs-sim');
    assert.deepEqual(violations, [], 'no page broke its Content-Security-Policy');
    await context.close();
  });

test('every portal page fits a phone (360 px) without sideways scrolling, and passes axe there too',
  { skip: !process.env.CI && missing }, async () => {
    if (missing) assert.fail(missing);
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, locale: 'pt-BR' });
    const link = await shop.call('POST', `/v1/merchants/${merchant}/portal-sessions`, {});
    const page = await context.newPage();
    const url = new URL(link.body.url);
    await page.goto(`${stack.base}${url.pathname}${url.search}`); // a link from the API signs in by itself
    await page.waitForURL(/\/portal\/integracoes$/);
    const deliveryId = (await shop.call('GET', `/v1/merchants/${merchant}/endpoints/${endpoint}/notifications`)).body.notifications[0].deliveryId;
    for (const [name, pagePath] of [
      ['integracoes', '/portal/integracoes'], ['integracao', `/portal/integracoes/${endpoint}`],
      ['logs', `/portal/integracoes/${endpoint}/logs`], ['entrega', `/portal/entregas/${deliveryId}`],
      ['pagamentos', '/portal/pagamentos'], ['arquivos-de-retorno', '/portal/arquivos-de-retorno'],
    ]) {
      const res = await page.goto(`${stack.base}${pagePath}`);
      assert.equal(res?.status(), 200, pagePath);
      await checkPage(page, `celular-${name}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${pagePath} scrolls sideways by ${overflow}px at 360px`);
    }
    await context.close();
  });
