// site/lex-client.js in Node, against the local stub: config checks, guest
// credentials (cached), and a RecognizeText call whose signature the stub
// verifies with the secret it handed out.
//
//   node --test client.test.mjs

import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, ServiceError, createLexClient, loadConfig, replyTexts, validateConfig } from '../site/lex-client.js';
import { TEST_CONFIG, startStubServer } from './stub-server.mjs';

let stub;
before(async () => { stub = await startStubServer(); });
after(() => stub.close());

const memory = () => {
  const m = new Map();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, v), removeItem: (k) => m.delete(k) };
};

test('validateConfig: defaults to the regional AWS endpoints', () => {
  const c = validateConfig(TEST_CONFIG);
  assert.equal(c.cognitoIdentityEndpoint, 'https://cognito-identity.us-east-1.amazonaws.com/');
  assert.equal(c.lexRuntimeEndpoint, 'https://runtime-v2-lex.us-east-1.amazonaws.com/');
});

const REQUIRED_ALL = ['region', 'identityPoolId', 'botId', 'botAliasId', 'localeId'];

test('validateConfig: names every missing or malformed field', () => {
  const { botId, ...noBot } = TEST_CONFIG;
  assert.throws(() => validateConfig(noBot), (e) => e instanceof ConfigError && /botId is missing/.test(e.message));
  assert.throws(() => validateConfig({}), (e) => REQUIRED_ALL.every((k) => e.message.includes(`${k} is missing`)));
  assert.throws(() => validateConfig({ ...TEST_CONFIG, region: 'Mars' }), /not an AWS region/);
  assert.throws(() => validateConfig({ ...TEST_CONFIG, lexRuntimeEndpoint: 'ftp://x/' }), /http\(s\)/);
  assert.throws(() => validateConfig([]), ConfigError);
});

test('loadConfig + RecognizeText against the stub: a verified signature and the reply', async () => {
  const config = await loadConfig(`${stub.url}/config.json`);
  const storage = memory();
  const client = createLexClient(config, { storage });
  const before = stub.state.recognizeText.length;
  const reply = await client.recognizeText('node-session-1', 'Hello from Node');
  assert.deepEqual(replyTexts(reply), ['You said: Hello from Node']);
  const rec = stub.state.recognizeText.at(-1);
  assert.equal(stub.state.recognizeText.length, before + 1);
  assert.equal(rec.signatureVerified, true);
  assert.equal(rec.text, 'Hello from Node');
  assert.equal(rec.sessionId, 'node-session-1');

  // Credentials are cached: a second message costs no Cognito call.
  const calls = stub.state.getCredentials;
  await client.recognizeText('node-session-1', 'again');
  assert.equal(stub.state.getCredentials, calls);
  assert.ok(storage.getItem(`lex-web-ui:identity:${TEST_CONFIG.identityPoolId}`), 'the identity id is kept');
});

test('a stored identity the pool does not know is replaced by a new one', async () => {
  const storage = memory();
  storage.setItem(`lex-web-ui:identity:${TEST_CONFIG.identityPoolId}`, 'us-east-1:11111111-2222-4333-8444-555555555555');
  const client = createLexClient(await loadConfig(`${stub.url}/config.json`), { storage });
  const ids = stub.state.getId;
  assert.ok((await client.credentials()).sessionToken);
  assert.equal(stub.state.getId, ids + 1);
  assert.notEqual(storage.getItem(`lex-web-ui:identity:${TEST_CONFIG.identityPoolId}`), 'us-east-1:11111111-2222-4333-8444-555555555555');
});

test('credentials close to Expiration are fetched again', async () => {
  const config = await loadConfig(`${stub.url}/config.json`);
  let clock = Date.now();
  const client = createLexClient(config, { storage: memory(), now: () => clock });
  await client.credentials();
  const calls = stub.state.getCredentials;
  clock += 56 * 60 * 1000; // stub credentials last 60 minutes; refreshed 5 minutes early
  await client.credentials();
  assert.equal(stub.state.getCredentials, calls + 1);
});

test('a 500 from Lex is a ServiceError with the status and the AWS message', async () => {
  const client = createLexClient(await loadConfig(`${stub.url}/config.json`), { storage: memory() });
  stub.setFailing(true);
  try {
    await assert.rejects(client.recognizeText('s', 'hi'), (e) =>
      e instanceof ServiceError && e.status === 500 && /Amazon Lex answered HTTP 500 \(InternalServerException\)/.test(e.message));
  } finally {
    stub.setFailing(false);
  }
});

test('a wrong secret is refused by the stub with 403', async () => {
  const config = await loadConfig(`${stub.url}/config.json`);
  const client = createLexClient(config, { storage: memory() });
  const creds = await client.credentials();
  creds.secretAccessKey = 'not-the-secret'; // the cached object: the next call signs with this
  const rec = stub.state.recognizeText.length;
  await assert.rejects(client.recognizeText('s', 'hi'), (e) => e.status === 403 && e.type === 'InvalidSignatureException');
  assert.equal(stub.state.recognizeText[rec].signatureVerified, false);
});

test('an unknown identity pool is reported from Cognito', async () => {
  const config = await loadConfig(`${stub.url}/config.json`);
  const client = createLexClient({ ...config, identityPoolId: 'us-east-1:00000000-0000-4000-8000-00000000ffff' }, { storage: memory() });
  await assert.rejects(client.credentials(), /Amazon Cognito answered HTTP 400 \(ResourceNotFoundException\)/);
});

test('an endpoint nobody listens on is a network error', async () => {
  const config = validateConfig({ ...TEST_CONFIG, cognitoIdentityEndpoint: 'http://127.0.0.1:1/' });
  await assert.rejects(createLexClient(config, { storage: memory() }).credentials(),
    (e) => e instanceof ServiceError && e.status === 0 && /Could not reach Amazon Cognito/.test(e.message));
});
