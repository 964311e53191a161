// Issue 18: the portal's doors. A sign-in link works once and for PORTAL_LINK_TTL_S; opening it (a GET, as e-mail
// scanners do) spends nothing; the G4 e-mail's page sends a fresh link to the registered address only; sign-out
// ends the session everywhere; forms need the session's anti-CSRF token. Real dev server, real SMTP on loopback.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createApp } from '../api/app';
import { signInLink } from '../api/portal/signIn';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { csrfTokenIn, PortalClient } from './support/portalClient';
import { bodyText, header, SmtpCatcher } from './support/smtpCatcher';
import { testConfig } from './support/testConfig';

const config = testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-portal-access-test' });
let stack: DevStack;
let smtp: SmtpCatcher;
let shop: Account;

before(async () => {
  smtp = await SmtpCatcher.start();
  stack = await startDevStack({ ...config, SMTP_URL: smtp.url });
  shop = await stack.as('loja-portal-acesso', 'dono@loja-acesso.test');
});

after(async () => {
  await stack?.stop();
  await smtp?.stop();
});

const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
const local = (url: string) => { const u = new URL(url); return `${stack.base}${u.pathname}${u.search}`; };
const enter = (token: string) =>
  fetch(`${stack.base}/portal/acesso`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });

test('a link from POST …/portal-sessions: opening it spends nothing, the button signs in once, a second use is refused', async () => {
  const link = await shop.call('POST', `/v1/merchants/${shop.merchantId}/portal-sessions`, { page: '/portal/pagamentos' });
  assert.equal(link.status, 201, JSON.stringify(link.body));
  assert.ok(Date.parse(link.body.expiresAt) > Date.now());
  for (let i = 0; i < 2; i++) {
    const opened = await fetch(local(link.body.url));
    assert.equal(opened.status, 200);
    assert.match(await opened.text(), /<button type="submit">Entrar<\/button>/);
  }
  const first = await enter(tokenOf(link.body.url));
  assert.equal(first.status, 303);
  assert.equal(first.headers.get('location'), '/portal/pagamentos');
  const cookie = first.headers.get('set-cookie')!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /Path=\/portal/);
  assert.match(cookie, /Max-Age=28800/, 'PORTAL_SESSION_TTL_S');
  const again = await enter(tokenOf(link.body.url));
  assert.equal(again.status, 410);
  assert.match(await again.text(), /já foi usado/);
  assert.equal(again.headers.get('set-cookie'), null);
});

test('a form posted from another site is refused before it is read (login CSRF): the link stays unspent', async () => {
  const link = await shop.call('POST', `/v1/merchants/${shop.merchantId}/portal-sessions`, {});
  const token = tokenOf(link.body.url);
  const forged = await fetch(`${stack.base}/portal/acesso`, {
    method: 'POST', body: new URLSearchParams({ token }), headers: { origin: 'https://evil.example' }, redirect: 'manual',
  });
  assert.equal(forged.status, 403);
  assert.equal(forged.headers.get('set-cookie'), null);
  const crossSite = await fetch(`${stack.base}/portal/acesso`, {
    method: 'POST', body: new URLSearchParams({ token }), headers: { 'sec-fetch-site': 'cross-site', origin: 'null' }, redirect: 'manual',
  });
  assert.equal(crossSite.status, 403, 'a browser saying cross-site (an Origin of null included)');
  const own = await fetch(`${stack.base}/portal/acesso`, {
    method: 'POST', body: new URLSearchParams({ token }), headers: { origin: stack.base }, redirect: 'manual',
  });
  assert.equal(own.status, 303, 'the same link from the portal itself signs in');
});

test('an expired link, a tampered one and a portal link used as an API credential are all refused', async () => {
  const expired = await signInLink(config, shop.merchantId, 'api', '/portal', Date.now() - (config.PORTAL_LINK_TTL_S + 60) * 1000);
  const refused = await enter(tokenOf(expired.url));
  assert.equal(refused.status, 410);
  assert.match(await refused.text(), /expirou/);

  const fresh = tokenOf((await shop.call('POST', `/v1/merchants/${shop.merchantId}/portal-sessions`, {})).body.url);
  const [head, payload, signature] = fresh.split('.');
  const other = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const forged = `${head}.${Buffer.from(JSON.stringify({ ...other, sub: 'outra-loja' })).toString('base64url')}.${signature}`;
  assert.equal((await enter(forged)).status, 400);
  const asBearer = await fetch(`${stack.base}/v1/merchants/${shop.merchantId}/callback-urls`, { headers: { authorization: `Bearer ${fresh}` } });
  assert.equal(asBearer.status, 401);
});

test('the page a link may open is a portal path, named in the 400 otherwise (no open redirect)', async () => {
  for (const page of ['https://evil.example/portal', '//evil.example/portal', '/portal/../v1/x', '/docs']) {
    const res = await shop.call('POST', `/v1/merchants/${shop.merchantId}/portal-sessions`, { page });
    assert.equal(res.status, 400, page);
    assert.equal(res.body.fields[0].field, 'body.page');
  }
  const other = await stack.as('loja-portal-acesso-2');
  const res = await other.call('POST', `/v1/merchants/${shop.merchantId}/portal-sessions`, {});
  assert.equal(res.status, 404, "another account's portal is a plain 404, as in the API");
});

test('without a session a page sends the browser to sign in, and brings it back', async () => {
  const res = await fetch(`${stack.base}/portal/integracoes`, { redirect: 'manual' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/portal/entrar?destino=${encodeURIComponent('/portal/integracoes')}`);
  const forged = await fetch(`${stack.base}/portal/integracoes`, { headers: { cookie: 'arauto_portal=eyJhbGciOiJub25lIn0.e30.' }, redirect: 'manual' });
  assert.equal(forged.status, 303);
});

test('sign-out needs the anti-CSRF token, and then ends the session for every copy of its cookie', async () => {
  const portal = await PortalClient.signIn(stack, shop);
  const page = await portal.get('/portal/integracoes');
  assert.equal(page.status, 200);
  const forgedOut = await portal.post('/portal/sair', {}, { csrf: false });
  assert.equal(forgedOut.status, 403);
  assert.equal((await portal.get('/portal/integracoes')).status, 200, 'a forged sign-out changes nothing');
  const wrongToken = await portal.post('/portal/sair', { _csrf: csrfTokenIn(page.html).replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }, { csrf: false });
  assert.equal(wrongToken.status, 403);
  const out = await portal.post('/portal/sair', {});
  assert.equal(out.status, 200);
  const after = await portal.get('/portal/integracoes');
  assert.equal(after.status, 303, 'the same cookie no longer opens anything');
});

test('G4 e-mail page: a fresh link goes to the registered address only, the same answer for any account, and a scanner opening it spends nothing', async () => {
  const destino = '/portal/integracoes/gerencianetNotificationUrl';
  const form = await fetch(`${stack.base}/portal/entrar?conta=${shop.merchantId}&destino=${encodeURIComponent(destino)}`);
  assert.equal(form.status, 200);
  const visitor = form.headers.get('set-cookie')!.split(';')[0];
  const html = await form.text();
  assert.match(html, new RegExp(`value="${shop.merchantId}"`));
  const post = (fields: Record<string, string>, cookie = visitor) => fetch(`${stack.base}/portal/entrar`, {
    method: 'POST', body: new URLSearchParams(fields), headers: { cookie },
  });

  assert.equal((await post({ conta: shop.merchantId, destino })).status, 403, 'no anti-CSRF token');
  const before = smtp.messages.length;
  const unknown = await post({ _csrf: csrfTokenIn(html), conta: 'loja-que-nao-existe', destino });
  const known = await post({ _csrf: csrfTokenIn(html), conta: shop.merchantId, destino });
  assert.equal(unknown.status, 200);
  assert.equal(known.status, 200);
  const sent = /enviamos a ele um link de acesso/;
  assert.match(await unknown.text(), sent);
  assert.match(await known.text(), sent);

  const [message] = (await smtp.until(before + 1)).slice(before);
  assert.deepEqual(message.to, ['dono@loja-acesso.test']);
  assert.match(header(message.raw, 'subject')!, /link de acesso/);
  const url = /(https?:\/\/\S+\/portal\/acesso\?token=\S+)/.exec(bodyText(message.raw))?.[1];
  assert.ok(url, bodyText(message.raw));
  const scanned = await fetch(local(url)); // a mail scanner follows the link
  assert.equal(scanned.status, 200);
  assert.doesNotMatch(await scanned.text(), /data-autosubmit/, 'an e-mailed link waits for the click');
  const entered = await enter(tokenOf(url));
  assert.equal(entered.status, 303);
  assert.equal(entered.headers.get('location'), destino);
  assert.equal(smtp.messages.length, before + 1, 'nothing was sent for the unknown account');
});

test('portal pages carry their own CSP: no inline scripts, no framing by default', async () => {
  const res = await fetch(`${stack.base}/portal/entrar`);
  const csp = res.headers.get('content-security-policy')!;
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.equal(res.headers.get('referrer-policy'), 'same-origin');
  assert.doesNotMatch(await res.text(), /<script>|\sstyle=/, 'no inline script or style');
});

test('PORTAL_FRAME_ANCESTORS lets the provider frame the portal; a malformed value stops the start naming it', async () => {
  const embedded = { ...config, PORTAL_FRAME_ANCESTORS: 'https://painel.example.com' };
  const server = createServer(createApp({ client: stack.client, config: embedded })).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/portal/entrar`);
    assert.match(res.headers.get('content-security-policy')!, /frame-ancestors https:\/\/painel\.example\.com(;|$)/);
    assert.equal(res.headers.get('x-frame-options'), null, 'X-Frame-Options cannot name an origin: left to the CSP');
  } finally {
    server.close();
  }
  assert.throws(() => testConfig({ PORTAL_FRAME_ANCESTORS: "https://a.example; script-src 'unsafe-inline'" }), /PORTAL_FRAME_ANCESTORS/);
});

test('English is one link away on every page, remembered in a cookie, and the way back is Português', async () => {
  const portal = await PortalClient.signIn(stack, shop);
  const pt = await portal.get('/portal/integracoes');
  assert.match(pt.html, /<html lang="pt-BR">/);
  const link = /href="(\/portal\/idioma\?lang=en&amp;destino=[^"]+)"/.exec(pt.html)?.[1].replace(/&amp;/g, '&');
  assert.ok(link, 'the language link');
  const chosen = await fetch(`${stack.base}${link}`, { headers: { cookie: portal.cookie }, redirect: 'manual' });
  assert.equal(chosen.status, 303);
  assert.equal(chosen.headers.get('location'), '/portal/integracoes');
  const language = chosen.headers.get('set-cookie')!.split(';')[0];
  assert.equal(language, 'arauto_portal_lang=en');
  const en = await fetch(`${stack.base}/portal/integracoes`, { headers: { cookie: `${portal.cookie}; ${language}` } });
  const html = await en.text();
  assert.match(html, /<html lang="en">/);
  assert.match(html, />Integrations</);
  assert.match(html, /lang=pt-BR[^"]*"[^>]*>Português</);
  const away = await fetch(`${stack.base}/portal/idioma?lang=en&destino=${encodeURIComponent('https://evil.example/')}`, { redirect: 'manual' });
  assert.equal(away.headers.get('location'), '/portal', 'the way back stays inside the portal');
});
