// A local stand-in for the two AWS endpoints the page talks to, plus the
// page itself. Node built-ins only; listens on 127.0.0.1.
//
//   GET  /...                      the site directory; /config.json points both endpoints here
//   POST /cognito-identity/        Cognito Identity JSON API: GetId, GetCredentialsForIdentity
//   POST /lex-runtime/bots/{botId}/botAliases/{aliasId}/botLocales/{localeId}/sessions/{sessionId}/text
//                                  Lex V2 RecognizeText, SigV4-verified with the secret handed out
//   GET  /__stub/state             what the stub has seen (JSON)
//   POST /__stub/fail?on=1|0       RecognizeText answers 500 while on (also: env STUB_FAIL=1)
//   POST /__stub/config            body: a JSON object served as config.json instead; empty body: back to normal
//
// The SigV4 check here is written against node:crypto, independently of the
// page's sigv4.js, so that the two are not wrong in the same way.
//
// Standalone: node stub-server.mjs [port]   (default 8787; 0 picks a free port)

import { createServer } from 'node:http';
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
export const SITE_DIR = resolve(here, '../site');

export const TEST_CONFIG = {
  region: 'us-east-1',
  identityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000001',
  botId: 'TESTBOTID1',
  botAliasId: 'TSTALIASID',
  localeId: 'en_US',
};

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// ---- SigV4, independently -------------------------------------------------

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const rfc3986 = (s) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/**
 * The signature AWS would compute for a request as received.
 * `path` and `query` are as on the wire (req.url split at '?').
 */
export function expectedSignature({ method, path, query = '', headers, signedHeaders, body, secret, amzDate, region, service }) {
  const canonicalUri = path.split('/').map(rfc3986).join('/') || '/';
  const params = new URLSearchParams(query);
  const canonicalQuery = [...params]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = signedHeaders.split(';');
  const canonicalHeaders = names
    .map((n) => `${n}:${String(headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const creq = [method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, sha256(body)].join('\n');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/${service}/aws4_request`;
  const sts = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(creq)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + secret, day), region), service), 'aws4_request');
  return createHmac('sha256', key).update(sts).digest('hex');
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Checks a RecognizeText request's signature; returns null when good, or why not. */
function verify(req, body, creds, region) {
  const auth = req.headers.authorization;
  if (!auth) return 'Missing Authentication Token';
  const m = AUTH_RE.exec(auth);
  if (!m) return 'Authorization header is malformed';
  const [, keyId, day, scopeRegion, service, signedHeaders, signature] = m;
  if (keyId !== creds.accessKeyId) return 'The security token included in the request is invalid (unknown access key)';
  const amzDate = req.headers['x-amz-date'];
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate)) return 'X-Amz-Date is missing or malformed';
  if (day !== amzDate.slice(0, 8)) return 'Credential scope date does not match X-Amz-Date';
  if (scopeRegion !== region) return `Credential should be scoped to a valid region: ${scopeRegion}`;
  if (service !== 'lex') return `Credential should be scoped to correct service: 'lex', not '${service}'`;
  const t = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (Math.abs(Date.now() - t) > 5 * 60 * 1000) return 'Signature expired (X-Amz-Date more than 5 minutes off)';
  const names = signedHeaders.split(';');
  for (const needed of ['host', 'x-amz-date', 'x-amz-security-token']) {
    if (!names.includes(needed)) return `SignedHeaders must include ${needed}`;
  }
  if (req.headers['x-amz-security-token'] !== creds.sessionToken) return 'The security token included in the request is invalid';
  const [path, query = ''] = req.url.split('?');
  const expected = expectedSignature({
    method: req.method, path, query, headers: req.headers, signedHeaders, body,
    secret: creds.secretKey, amzDate, region, service,
  });
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return 'The request signature we calculated does not match the signature you provided. ' +
      'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
  }
  return null;
}

// ---- The server -------------------------------------------------------------

/**
 * Starts the stub. Returns { url, state, setFailing(bool), setConfig(obj|null), close() }.
 * state.recognizeText: one record per RecognizeText call:
 *   { text, sessionId, botId, botAliasId, localeId, signatureVerified, error, status }
 */
export async function startStubServer({ port = 0, siteDir = SITE_DIR, failing = process.env.STUB_FAIL === '1' } = {}) {
  const creds = {
    accessKeyId: 'ASIASTUBTESTKEY00001',
    secretKey: randomBytes(30).toString('base64'),
    sessionToken: 'stub-session-token/' + randomBytes(48).toString('base64'),
  };
  const state = { failing, configOverride: null, getId: 0, getCredentials: 0, recognizeText: [] };
  const identities = new Set();
  let baseUrl = '';

  const cors = (req, res) => {
    // As the AWS endpoints answer browsers: any origin, the headers asked for.
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin || '*');
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date');
  };
  const send = (res, status, body, headers = {}) => {
    const data = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    res.writeHead(status, { 'x-amzn-RequestId': randomUUID(), ...headers });
    res.end(data);
  };
  const awsError = (res, status, type, message, contentType) =>
    send(res, status, contentType.includes('amz-json') ? { __type: type, message } : { message },
      { 'Content-Type': contentType, 'x-amzn-ErrorType': type });

  function config() {
    return state.configOverride ?? {
      ...TEST_CONFIG,
      cognitoIdentityEndpoint: `${baseUrl}/cognito-identity/`,
      lexRuntimeEndpoint: `${baseUrl}/lex-runtime/`,
    };
  }

  async function cognito(req, res, body) {
    const json = 'application/x-amz-json-1.1';
    if (!(req.headers['content-type'] || '').startsWith(json)) {
      return awsError(res, 400, 'SerializationException', 'Content-Type must be application/x-amz-json-1.1', json);
    }
    let input;
    try { input = JSON.parse(body.toString('utf8') || '{}'); } catch {
      return awsError(res, 400, 'SerializationException', 'Body is not JSON', json);
    }
    const target = req.headers['x-amz-target'];
    if (target === 'AWSCognitoIdentityService.GetId') {
      state.getId++;
      if (input.IdentityPoolId !== TEST_CONFIG.identityPoolId) {
        return awsError(res, 400, 'ResourceNotFoundException', `IdentityPool '${input.IdentityPoolId}' not found.`, json);
      }
      const id = `${TEST_CONFIG.region}:${randomUUID()}`;
      identities.add(id);
      return send(res, 200, { IdentityId: id }, { 'Content-Type': json });
    }
    if (target === 'AWSCognitoIdentityService.GetCredentialsForIdentity') {
      state.getCredentials++;
      if (!identities.has(input.IdentityId)) {
        return awsError(res, 400, 'ResourceNotFoundException', 'Identity not found.', json);
      }
      return send(res, 200, {
        IdentityId: input.IdentityId,
        Credentials: {
          AccessKeyId: creds.accessKeyId,
          SecretKey: creds.secretKey,
          SessionToken: creds.sessionToken,
          Expiration: Math.floor(Date.now() / 1000) + 3600, // epoch seconds, as the JSON API sends it
        },
      }, { 'Content-Type': json });
    }
    return awsError(res, 400, 'UnknownOperationException', `Unknown operation ${target}`, json);
  }

  const LEX_RE = /^\/lex-runtime\/bots\/([^/]+)\/botAliases\/([^/]+)\/botLocales\/([^/]+)\/sessions\/([^/]+)\/text$/;

  async function recognizeText(req, res, body, m) {
    const [botId, botAliasId, localeId, sessionId] = m.slice(1).map(decodeURIComponent);
    const record = { botId, botAliasId, localeId, sessionId, text: null, signatureVerified: false, error: null, status: 0 };
    state.recognizeText.push(record);
    const json = 'application/json';
    const fail = (status, type, message) => {
      record.status = status;
      record.error = `${type}: ${message}`;
      return awsError(res, status, type, message, json);
    };
    const problem = verify(req, body, creds, TEST_CONFIG.region);
    if (problem) {
      const type = problem.startsWith('Missing') ? 'MissingAuthenticationTokenException'
        : problem.includes('token') ? 'UnrecognizedClientException' : 'InvalidSignatureException';
      return fail(403, type, problem);
    }
    record.signatureVerified = true;
    if (state.failing) return fail(500, 'InternalServerException', 'Stub failure switch is on');
    if (botId !== TEST_CONFIG.botId || botAliasId !== TEST_CONFIG.botAliasId || localeId !== TEST_CONFIG.localeId) {
      return fail(404, 'ResourceNotFoundException', 'Bot, alias or locale not found');
    }
    let input;
    try { input = JSON.parse(body.toString('utf8')); } catch {
      return fail(400, 'ValidationException', 'Body is not JSON');
    }
    if (typeof input.text !== 'string' || input.text.length < 1 || input.text.length > 1024) {
      return fail(400, 'ValidationException', "1 validation error detected: Value at 'text' failed to satisfy constraint");
    }
    record.text = input.text;
    record.status = 200;
    return send(res, 200, {
      messages: [{ contentType: 'PlainText', content: `You said: ${input.text}` }],
      sessionState: {
        dialogAction: { type: 'Close' },
        intent: { name: 'FallbackIntent', state: 'ReadyForFulfillment', confirmationState: 'None', slots: {} },
        originatingRequestId: randomUUID(),
      },
      interpretations: [{ intent: { name: 'FallbackIntent', slots: {} } }],
      sessionId,
    }, { 'Content-Type': json });
  }

  async function staticFile(req, res) {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    if (path === '/config.json') {
      return send(res, 200, config(), { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    }
    const file = normalize(join(siteDir, path));
    if (!file.startsWith(siteDir + sep)) return send(res, 403, 'Forbidden', { 'Content-Type': 'text/plain' });
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const data = await readFile(file);
      return send(res, 200, req.method === 'HEAD' ? '' : data, {
        'Content-Type': TYPES[extname(file)] || 'application/octet-stream',
        'Cache-Control': 'no-store',
      });
    } catch {
      return send(res, 404, 'Not found', { 'Content-Type': 'text/plain' });
    }
  }

  const server = createServer(async (req, res) => {
    try {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const body = Buffer.concat(chunks);
      const path = req.url.split('?')[0];
      const api = path.startsWith('/cognito-identity/') || path.startsWith('/lex-runtime/');
      if (api) cors(req, res);
      if (api && req.method === 'OPTIONS') {
        res.writeHead(200, {
          'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
          'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] || '*',
          'Access-Control-Max-Age': '86400',
        });
        return res.end();
      }
      if (path === '/__stub/state' && req.method === 'GET') {
        return send(res, 200, state, { 'Content-Type': 'application/json' });
      }
      if (path === '/__stub/fail' && req.method === 'POST') {
        state.failing = new URL(req.url, 'http://x').searchParams.get('on') !== '0';
        return send(res, 200, { failing: state.failing }, { 'Content-Type': 'application/json' });
      }
      if (path === '/__stub/config' && req.method === 'POST') {
        state.configOverride = body.length ? JSON.parse(body.toString('utf8')) : null;
        return send(res, 200, config(), { 'Content-Type': 'application/json' });
      }
      if (path === '/cognito-identity/' && req.method === 'POST') return await cognito(req, res, body);
      const m = LEX_RE.exec(path);
      if (m && req.method === 'POST') return await recognizeText(req, res, body, m);
      if (api) return awsError(res, 404, 'UnknownOperationException', `No route for ${req.method} ${path}`, 'application/json');
      if (req.method === 'GET' || req.method === 'HEAD') return await staticFile(req, res);
      return send(res, 405, 'Method not allowed', { 'Content-Type': 'text/plain' });
    } catch (e) {
      if (!res.headersSent) send(res, 500, { message: String(e) }, { 'Content-Type': 'application/json' });
      else res.destroy();
    }
  });

  await new Promise((ok, ko) => {
    server.once('error', ko);
    server.listen(port, '127.0.0.1', ok);
  });
  baseUrl = `http://127.0.0.1:${server.address().port}`;

  return {
    url: baseUrl,
    state,
    credentials: creds,
    setFailing(on) { state.failing = Boolean(on); },
    setConfig(obj) { state.configOverride = obj ?? null; },
    close() {
      server.closeAllConnections();
      return new Promise((ok) => server.close(() => ok()));
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8787);
  const stub = await startStubServer({ port });
  console.log(`stub server: ${stub.url}/  (state: ${stub.url}/__stub/state)`);
}
