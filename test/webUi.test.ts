// The Temporal Web UI as the operator's inspection tool (D5), in headless Chromium: a delivery that failed twice
// before its receiver accepted (G2, G3) is found by its charge number, opened, and its three attempts are in the
// history, decoded through the API's /codec with the operator's browser session. A full-page screenshot is kept.
// Real parts only: a dev server with its Web UI, the API and worker, a loopback receiver, Debian's chromium.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startDevStack, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { Receiver } from './support/receiver';
import { TEST_ENV, testConfig } from './support/testConfig';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const missing = existsSync(executablePath) ? undefined
  : `No Chromium at ${executablePath}: apt-get install chromium (or set CHROMIUM_PATH)`;
const screenshot = path.resolve(__dirname, '../test-artifacts/web-ui-delivery.png');
const merchant = 'loja-painel';
const chargeId = '7001';

let stack: DevStack;
let receiver: Receiver;
let browser: Browser;
let deliveryId: string;

before(async () => {
  if (missing) return;
  receiver = await Receiver.start();
  // A documented minute becomes a second: the three attempts take about three seconds.
  stack = await startDevStack(testConfig({ RETRY_DELAY_DIVISOR: '60', TEMPORAL_TASK_QUEUE: 'arauto-webui-test' }), { ui: true });
  const shop = await stack.as(merchant);
  await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, { gerencianetNotificationUrl: `${receiver.url}/n` });
  receiver.respond([500, 500]); // then 200
  const charge = await shop.call('POST', `/v1/merchants/${merchant}/charges/${chargeId}/status-changes`, { currentStatus: 'paid' });
  assert.equal(charge.status, 202, JSON.stringify(charge.body));
  deliveryId = charge.body.deliveryId;
  await stack.client.workflow.getHandle(deliveryId).result();
  // The UI lists what visibility has; wait until it has this delivery.
  await eventually(async () => (await stack.client.workflow.count(`ArautoChargeId="${chargeId}"`)).count, (n) => n === 1);
  browser = await chromium.launch({ executablePath });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  await receiver?.stop();
});

test('D5: the operator finds a delivery by charge number in the Web UI and reads its attempts, decoded',
  { skip: !process.env.CI && missing }, async () => {
    if (missing) assert.fail(missing); // in CI a missing browser is a failure, not a skip
    assert.equal(receiver.requests.length, 3, 'two failures, then the retry that succeeded (G3)');
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

    // The operator's session for /codec: the form sets an HttpOnly cookie (never the token itself).
    await page.goto(`${stack.base}/codec/session`);
    await page.fill('input[name=token]', TEST_ENV.CODEC_AUTH_TOKEN);
    await page.click('button');
    await page.getByText('decodes payloads').waitFor();
    // The UI's codec settings (its persisted stores are JSON): this endpoint, called with the cookie. Without the
    // override it uses the dev server's --ui-codec-endpoint without credentials, and /codec answers 401.
    await page.addInitScript((endpoint) => {
      localStorage.setItem('endpoint', JSON.stringify(endpoint));
      localStorage.setItem('includeCredentials', 'true');
      localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
    }, `${stack.base}/codec`);

    // Search by the charge number (a search attribute): exactly this delivery.
    await page.goto(`${stack.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(`ArautoChargeId="${chargeId}"`)}`);
    const listed = page.locator('tr[data-testid="workflows-summary-configurable-table-row"]');
    await listed.filter({ hasText: deliveryId }).waitFor();
    assert.equal(await listed.count(), 1);
    await listed.getByRole('link', { name: deliveryId }).first().click();
    await page.waitForURL(/\/history$/);

    // Each attempt is an activity (issue 15): in the compact view, one postCallback row per POST the receiver got.
    await page.getByText('Compact', { exact: true }).click();
    const attempts = page.locator('tr[data-testid="event-summary-row"]', { hasText: 'postCallback' });
    await attempts.nth(receiver.requests.length - 1).waitFor();
    assert.equal(await attempts.count(), receiver.requests.length);
    for (const row of await attempts.all()) await row.click();

    // Expanded, each shows its outcome: readable only if the UI decoded the encrypted result through /codec.
    const details = page.locator('tr[data-testid="event-summary-row-expanded"]');
    await details.filter({ hasText: '"responseExcerpt": "Recebido"' }).waitFor();
    const outcomes = await details.evaluateAll((rows) => rows.map((r) => /"statusCode": (\d+)/.exec(r.textContent ?? '')?.[1]));
    assert.deepEqual(outcomes, ['200', '500', '500'], 'newest first: the success after two failures (G2)');
    // Undecoded, the UI shows a payload's metadata in base64: its encoding "binary/encrypted" as YmluYXJ5L2VuY3J5cHRlZA==.
    assert.doesNotMatch((await page.locator('body').textContent())!, /YmluYXJ5L2VuY3J5cHRlZA|binary\/encrypted/);

    // The screenshot: each outcome scrolled into view in its box, and the window grown until the page fits it (the UI
    // scrolls inside #content-wrapper, and its history table grows with the window, so a plain "full page" cuts it).
    await details.locator('.cm-scroller').evaluateAll((boxes) => boxes.forEach((b) => { b.scrollTop = b.scrollHeight; }));
    const content = page.locator('#content-wrapper');
    let height = 0;
    while (height !== (height = await content.evaluate((e) => e.scrollHeight))) await page.setViewportSize({ width: 1400, height });
    mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`screenshot: ${screenshot}`);
  });
