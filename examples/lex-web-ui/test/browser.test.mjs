// The page in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), against the local stub on 127.0.0.1.
//
//   node --test browser.test.mjs
//   SCREENSHOT=/tmp/lex-web-ui.png node --test browser.test.mjs   # also saves a screenshot
//   CHROMIUM=/path/to/chromium ...                                # another browser binary

import test, { after, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { TEST_CONFIG, startStubServer } from './stub-server.mjs';

const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
// Without the background-networking flags Chromium reaches out on its own,
// which this machine's closed network refuses.
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const TIMEOUT = 10_000;

let stub;
let userDataDir;
let context;
let page;
let pageErrors;

before(async () => {
  stub = await startStubServer();
  userDataDir = await mkdtemp(join(tmpdir(), 'lex-web-ui-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: EXECUTABLE,
    headless: true,
    args: ARGS,
    viewport: { width: 800, height: 600 },
    timeout: 30_000,
  });
  context.setDefaultTimeout(TIMEOUT);
});

after(async () => {
  await context?.close();
  await stub?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

beforeEach(async () => {
  stub.setFailing(false);
  stub.setConfig(null);
  if (page) await page.close();
  page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e));
});

async function open() {
  await page.goto(`${stub.url}/`);
  await page.getByRole('heading', { name: 'Chat with the bot' }).waitFor();
}

async function send(text) {
  await page.getByLabel('Message to the bot').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

test('the page loads and shows the input', async () => {
  await open();
  const input = page.getByLabel('Message to the bot');
  assert.ok(await input.isVisible());
  assert.ok(await input.isEnabled());
  assert.ok(await page.getByRole('button', { name: 'Send' }).isVisible());
  await page.getByText('Ready.', { exact: false }).waitFor();
  assert.equal(await page.locator('#error').isVisible(), false);
  assert.deepEqual(pageErrors, []);
});

test('a message gets the bot reply, after a correctly signed RecognizeText', async () => {
  await open();
  const seen = stub.state.recognizeText.length;
  await send('Hello bot');
  const reply = page.getByRole('log').locator('.msg--bot', { hasText: 'You said: Hello bot' });
  await reply.waitFor();
  assert.ok(await page.getByRole('log').locator('.msg--user', { hasText: 'Hello bot' }).isVisible());

  const calls = stub.state.recognizeText.slice(seen);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].signatureVerified, true, `stub refused the signature: ${calls[0].error}`);
  assert.equal(calls[0].text, 'Hello bot');
  assert.equal(calls[0].botId, TEST_CONFIG.botId);
  assert.equal(calls[0].botAliasId, TEST_CONFIG.botAliasId);
  assert.equal(calls[0].localeId, TEST_CONFIG.localeId);
  assert.match(calls[0].sessionId, /^[0-9a-zA-Z._:-]{2,100}$/);

  // The same session for the next message; the input is ready again.
  await send('Second');
  await page.getByRole('log').locator('.msg--bot', { hasText: 'You said: Second' }).waitFor();
  assert.equal(stub.state.recognizeText.at(-1).sessionId, calls[0].sessionId);
  assert.equal(await page.getByLabel('Message to the bot').inputValue(), '');

  // A new page load is a new session.
  await open();
  await send('Third');
  await page.getByRole('log').locator('.msg--bot', { hasText: 'You said: Third' }).waitFor();
  assert.notEqual(stub.state.recognizeText.at(-1).sessionId, calls[0].sessionId);

  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT });
  assert.deepEqual(pageErrors, []);
});

test('when Lex fails with 500, an error is shown and the input stays usable', async () => {
  await open();
  await page.getByText('Ready.', { exact: false }).waitFor();
  stub.setFailing(true);
  await send('Will this fail?');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const message = await alert.textContent();
  assert.match(message, /Amazon Lex answered HTTP 500/);
  assert.match(message, /InternalServerException/);
  // Not a blank page: the heading, the conversation and the input are there.
  assert.ok(await page.getByRole('heading', { name: 'Chat with the bot' }).isVisible());
  assert.ok(await page.getByRole('log').locator('.msg--failed', { hasText: 'Will this fail?' }).isVisible());
  const input = page.getByLabel('Message to the bot');
  assert.ok(await input.isEnabled());
  assert.equal(await input.inputValue(), 'Will this fail?', 'the text is kept to send again');
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT.replace(/\.png$/, '-error.png') });

  // Once Lex is back, sending again works and the error goes away.
  stub.setFailing(false);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('log').locator('.msg--bot', { hasText: 'You said: Will this fail?' }).waitFor();
  assert.equal(await alert.isVisible(), false);
  assert.deepEqual(pageErrors, []);
});

test('a config.json without botId shows a clear configuration error', async () => {
  const { botId, ...rest } = TEST_CONFIG;
  stub.setConfig({ ...rest, cognitoIdentityEndpoint: `${stub.url}/cognito-identity/`, lexRuntimeEndpoint: `${stub.url}/lex-runtime/` });
  const calls = stub.state.recognizeText.length;
  await open();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /^Configuration error: config\.json: botId is missing\.$/);
  assert.ok(await page.getByLabel('Message to the bot').isEnabled());
  // Sending says so again rather than doing nothing.
  await send('anyone there?');
  await page.getByRole('log').locator('.msg--failed', { hasText: 'anyone there?' }).waitFor();
  assert.match(await alert.textContent(), /botId is missing/);
  assert.equal(stub.state.recognizeText.length, calls, 'no call to Lex without a bot');
  assert.deepEqual(pageErrors, []);
});

test('an unreachable Lex endpoint is a visible network error', async () => {
  stub.setConfig({
    ...TEST_CONFIG,
    cognitoIdentityEndpoint: `${stub.url}/cognito-identity/`,
    lexRuntimeEndpoint: 'http://127.0.0.1:1/',
  });
  await open();
  await page.getByText('Ready.', { exact: false }).waitFor();
  await send('Hello?');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /Could not reach Amazon Lex \(network error/);
  assert.ok(await page.getByLabel('Message to the bot').isEnabled());
});
