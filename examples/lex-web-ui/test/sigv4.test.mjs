// The page's SigV4 (site/sigv4.js, WebCrypto) and the stub's independent
// verifier (node:crypto) against AWS's published Signature Version 4 test
// suite (aws-sig-v4-test-suite): same credentials, date, region and service
// as the suite; expected signatures copied from its .authz files.
//
//   node --test sigv4.test.mjs

import test from 'node:test';
import assert from 'node:assert/strict';
import { signRequest, amzDate, uriEncode } from '../site/sigv4.js';
import { expectedSignature } from './stub-server.mjs';

const SUITE = {
  region: 'us-east-1',
  service: 'service',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  date: new Date('2015-08-30T12:36:00Z'),
};
const SCOPE = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';
const TOKEN =
  'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';

const VECTORS = [
  {
    name: 'get-vanilla',
    method: 'GET', url: 'https://example.amazonaws.com/',
    signedHeaders: 'host;x-amz-date',
    signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    canonicalRequest: 'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n' +
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  },
  {
    name: 'post-vanilla',
    method: 'POST', url: 'https://example.amazonaws.com/',
    signedHeaders: 'host;x-amz-date',
    signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
  },
  {
    name: 'post-x-www-form-urlencoded',
    method: 'POST', url: 'https://example.amazonaws.com/',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'Param1=value1',
    signedHeaders: 'content-type;host;x-amz-date',
    signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
  },
  {
    name: 'get-vanilla-query-order-key-case',
    method: 'GET', url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1',
    signedHeaders: 'host;x-amz-date',
    signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  },
  {
    name: 'get-vanilla-query-unreserved',
    method: 'GET',
    url: 'https://example.amazonaws.com/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=' +
      '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    signedHeaders: 'host;x-amz-date',
    signature: '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
  },
  {
    name: 'get-unreserved',
    method: 'GET', url: 'https://example.amazonaws.com/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    signedHeaders: 'host;x-amz-date',
    signature: '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f',
  },
  {
    name: 'get-header-value-trim',
    method: 'GET', url: 'https://example.amazonaws.com/',
    headers: { 'My-Header1': ' value1', 'My-Header2': '"a   b   c"' },
    signedHeaders: 'host;my-header1;my-header2;x-amz-date',
    signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
  },
  {
    name: 'post-header-key-sort',
    method: 'POST', url: 'https://example.amazonaws.com/',
    headers: { 'My-Header1': 'value1' },
    signedHeaders: 'host;my-header1;x-amz-date',
    signature: 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c',
  },
  {
    // The session token as a signed header, which is how the page sends it.
    name: 'post-sts-token/post-sts-header-before',
    method: 'POST', url: 'https://example.amazonaws.com/',
    sessionToken: TOKEN,
    signedHeaders: 'host;x-amz-date;x-amz-security-token',
    signature: '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead',
    stringToSign: 'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n' +
      'c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6',
  },
];

for (const v of VECTORS) {
  test(`aws-sig-v4-test-suite ${v.name}: site/sigv4.js`, async () => {
    const credentials = { ...SUITE.credentials, ...(v.sessionToken ? { sessionToken: v.sessionToken } : {}) };
    const signed = await signRequest({
      ...SUITE, credentials, method: v.method, url: v.url, headers: v.headers ?? {}, body: v.body ?? '',
    });
    assert.equal(signed.signedHeaders, v.signedHeaders);
    assert.equal(signed.signature, v.signature);
    assert.equal(
      signed.headers.Authorization,
      `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=${v.signedHeaders}, Signature=${v.signature}`,
    );
    assert.equal(signed.headers['X-Amz-Date'], '20150830T123600Z');
    if (v.canonicalRequest) assert.equal(signed.canonicalRequest, v.canonicalRequest);
    if (v.stringToSign) assert.equal(signed.stringToSign, v.stringToSign);
    if (v.sessionToken) assert.equal(signed.headers['X-Amz-Security-Token'], v.sessionToken);
    assert.ok(!('Host' in signed.headers) && !('host' in signed.headers), 'fetch sets Host itself');
    assert.ok(!JSON.stringify(signed.headers).includes(SUITE.credentials.secretAccessKey), 'the secret is never sent');
  });

  test(`aws-sig-v4-test-suite ${v.name}: the stub's verifier`, () => {
    const u = new URL(v.url);
    const headers = { host: u.host, 'x-amz-date': '20150830T123600Z' };
    for (const [k, val] of Object.entries(v.headers ?? {})) headers[k.toLowerCase()] = val;
    if (v.sessionToken) headers['x-amz-security-token'] = v.sessionToken;
    const sig = expectedSignature({
      method: v.method, path: u.pathname, query: u.search.slice(1), headers, signedHeaders: v.signedHeaders,
      body: v.body ?? '', secret: SUITE.credentials.secretAccessKey, amzDate: '20150830T123600Z',
      region: SUITE.region, service: SUITE.service,
    });
    assert.equal(sig, v.signature);
  });
}

test('a changed body, secret, region or service changes the signature', async () => {
  const base = { ...SUITE, method: 'POST', url: 'https://example.amazonaws.com/', body: 'Param1=value1' };
  const ref = (await signRequest(base)).signature;
  const others = await Promise.all([
    signRequest({ ...base, body: 'Param1=value2' }),
    signRequest({ ...base, credentials: { ...SUITE.credentials, secretAccessKey: 'x' } }),
    signRequest({ ...base, region: 'eu-west-1' }),
    signRequest({ ...base, service: 'lex' }),
  ]);
  for (const o of others) assert.notEqual(o.signature, ref);
});

test('a Lex RecognizeText request: service lex, JSON body, path segments encoded once more', async () => {
  const signed = await signRequest({
    method: 'POST',
    url: 'https://runtime-v2-lex.us-east-1.amazonaws.com/bots/B/botAliases/A/botLocales/en_US/sessions/s%201/text',
    headers: { 'Content-Type': 'application/json' },
    body: '{"text":"Hello"}',
    region: 'us-east-1',
    service: 'lex',
    credentials: { ...SUITE.credentials, sessionToken: 'tok' },
    date: SUITE.date,
  });
  assert.equal(signed.signedHeaders, 'content-type;host;x-amz-date;x-amz-security-token');
  assert.equal(signed.credentialScope, '20150830/us-east-1/lex/aws4_request');
  assert.match(signed.canonicalRequest, /^POST\n\/bots\/B\/botAliases\/A\/botLocales\/en_US\/sessions\/s%25201\/text\n\n/);
});

test('helpers: amzDate, uriEncode', () => {
  assert.equal(amzDate(new Date('2015-08-30T12:36:00.123Z')), '20150830T123600Z');
  assert.equal(uriEncode("a b/c!'()*~"), "a%20b%2Fc%21%27%28%29%2A~");
});
