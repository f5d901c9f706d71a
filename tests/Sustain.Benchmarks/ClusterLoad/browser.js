// The load test's two steps that go through the app's own pages, driven in Debian's Chromium by the
// playwright-core that Microsoft.Playwright (the browser tests' package) ships with its own node:
//
//   node browser.js setup BASE_URL EMAIL OUT_DIR   signs up, creates the organisation "Load Test" and an
//                                                  upload token on its API tokens page; writes OUT_DIR/token
//                                                  (the secret) and OUT_DIR/state.json (the signed-in cookies)
//   node browser.js pledges BASE_URL SECONDS       signs in as the demo user and, for SECONDS, pledges the demo
//                                                  organisation's allocation again and again, each paid one-off
//                                                  through the simulated checkout; prints "paid N"
//   node browser.js ledger BASE_URL STATE_JSON     posts the operator's ledger check with those cookies and
//                                                  prints its JSON answer; exits 1 when it reports a problem
//
// PLAYWRIGHT_CORE names the playwright-core folder (run.sh finds it in the NuGet cache).
const fs = require('fs');
const path = require('path');
const { chromium, request } = require(process.env.PLAYWRIGHT_CORE);

const ORG = 'load-test';

async function withBrowser(base, work) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ baseURL: base });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    const interactive = () => page.locator('[data-testid=render-mode][data-interactive=true]').waitFor({ state: 'attached' });
    await work(context, page, interactive);
  } finally {
    await browser.close();
  }
}

function setup(base, email, out) {
  return withBrowser(base, async (context, page, interactive) => {
    await page.goto('/account/register');
    await page.getByLabel('Your name').fill('Load Tester');
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Password').fill('load-test-password-42');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/app');
    await interactive();
    await page.getByTestId('org-name').fill('Load Test');
    await page.getByTestId('org-create').click();
    await page.waitForURL(`**/app/${ORG}`);

    await page.goto(`/app/${ORG}/tokens`);
    await interactive();
    await page.getByTestId('token-name').fill('wrk');
    await page.getByTestId('token-create').click();
    const secret = (await page.getByTestId('token-secret').textContent()).trim();
    if (!secret.startsWith('sus_')) throw new Error(`The tokens page showed no secret: "${secret}"`);

    fs.writeFileSync(path.join(out, 'token'), secret);
    await context.storageState({ path: path.join(out, 'state.json') });
    console.log(`signed up ${email}, created organisation ${ORG} and an upload token`);
  });
}

function pledges(base, seconds) {
  return withBrowser(base, async (context, page, interactive) => {
    await page.goto('/account/login');
    await page.getByLabel('Email').fill('demo@sustain.example');
    await page.getByLabel('Password').fill('sustain-demo-2026');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/app');
    await page.goto('/app/acme/pledges');
    await page.getByTestId('pledge-link').first().click();
    const again = await page.getByTestId('pledge-again').getAttribute('href');

    let paid = 0;
    for (const until = Date.now() + Number(seconds) * 1000; Date.now() < until; paid++) {
      await page.goto(again);
      await interactive();
      await page.getByText(/^One-off:/).click();
      await page.getByTestId('pledge-confirm').click();
      await page.waitForURL('**/checkout?session=cs_sim_*');
      await interactive();
      await page.getByTestId('checkout-pay').click();
      await page.waitForURL('**/success');
      await page.getByTestId('pledge-status').filter({ hasText: 'Paid' }).waitFor();
    }
    console.log(`paid ${paid}`);
  });
}

async function ledger(base, state) {
  const api = await request.newContext({ baseURL: base, storageState: state });
  try {
    const response = await api.post('/api/ops/ledger/check');
    if (!response.ok()) throw new Error(`The ledger check answered ${response.status()}`);
    const report = await response.json();
    console.log(JSON.stringify(report));
    process.exitCode = report.problems.length === 0 ? 0 : 1;
  } finally {
    await api.dispose();
  }
}

const [command, ...rest] = process.argv.slice(2);
const commands = { setup, pledges, ledger };
const run = commands[command] ? commands[command](...rest) : Promise.reject(new Error('usage: browser.js setup|pledges|ledger ...'));
run.catch(e => { console.error(e.message); process.exit(2); });
