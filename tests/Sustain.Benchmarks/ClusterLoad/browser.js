// The load test's two steps that go through the app's own pages, driven in Debian's Chromium by the
// playwright-core that Microsoft.Playwright (the browser tests' package) ships with its own node:
//
//   node browser.js setup BASE_URL EMAIL OUT_DIR   signs up, creates the organisation "Load Test" and an
//                                                  upload token on its API tokens page; writes OUT_DIR/token
//                                                  (the secret) and OUT_DIR/state.json (the signed-in cookies)
//   node browser.js ledger BASE_URL STATE_JSON     posts the operator's ledger check with those cookies and
//                                                  prints its JSON answer; exits 1 when it reports a problem
//
// PLAYWRIGHT_CORE names the playwright-core folder (run.sh finds it in the NuGet cache).
const fs = require('fs');
const path = require('path');
const { chromium, request } = require(process.env.PLAYWRIGHT_CORE);

const ORG = 'load-test';

async function setup(base, email, out) {
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
  } finally {
    await browser.close();
  }
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
const run = command === 'setup' ? setup(...rest) : command === 'ledger' ? ledger(...rest) : Promise.reject(new Error('usage: browser.js setup|ledger ...'));
run.catch(e => { console.error(e.message); process.exit(2); });
