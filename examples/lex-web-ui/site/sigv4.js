// AWS Signature Version 4 for fetch(), on WebCrypto (crypto.subtle) only.
//
// Header signing (the Authorization header), as the AWS SDKs do it for
// services other than S3: every path segment of the URL as sent is
// URI-encoded once more, the query is sorted by encoded key then value, the
// payload is hashed with SHA-256, and the session token of temporary
// credentials is a signed header (X-Amz-Security-Token).
//
// It runs in browsers (a secure context: https or localhost) and in Node 20+.

const ALGORITHM = 'AWS4-HMAC-SHA256';
const encoder = new TextEncoder();

function subtle() {
  const s = globalThis.crypto && globalThis.crypto.subtle;
  if (!s) {
    throw new Error('WebCrypto (crypto.subtle) is not available: the page must be served over HTTPS');
  }
  return s;
}

function bytes(data) {
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError('body must be a string, a Uint8Array or an ArrayBuffer');
}

/** Lower-case hex of a byte buffer. */
export function toHex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of a string or bytes, as lower-case hex. */
export async function sha256Hex(data) {
  return toHex(await subtle().digest('SHA-256', bytes(data)));
}

async function hmac(key, data) {
  const k = await subtle().importKey('raw', bytes(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', k, bytes(data)));
}

/** RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded. */
export function uriEncode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** 20150830T123600Z */
export function amzDate(date) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function canonicalUri(pathname) {
  if (!pathname) return '/';
  return pathname.split('/').map(uriEncode).join('/');
}

function canonicalQuery(searchParams) {
  const pairs = [];
  for (const [k, v] of searchParams) pairs.push([uriEncode(k), uriEncode(v)]);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function canonicalHeaderValue(value) {
  return String(value).trim().replace(/\s+/g, ' ');
}

/** The signing key: HMAC chain over date, region, service and "aws4_request". */
export async function signingKey(secretAccessKey, dateStamp, region, service) {
  const kDate = await hmac('AWS4' + secretAccessKey, dateStamp);
  const kRegion = await hmac(kDate, region);
  const kService = await hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/**
 * Signs a request.
 *
 * @param {object} request
 * @param {string} request.method      HTTP method
 * @param {string|URL} request.url     the full URL as it will be sent
 * @param {object} [request.headers]   headers to sign and send (the Host header comes from the URL)
 * @param {string|Uint8Array} [request.body]
 * @param {string} request.region
 * @param {string} request.service     signing name, e.g. "lex"
 * @param {{accessKeyId: string, secretAccessKey: string, sessionToken?: string}} request.credentials
 * @param {Date} [request.date]        signing time (now by default)
 * @returns {Promise<{headers: object, signature: string, signedHeaders: string,
 *   canonicalRequest: string, stringToSign: string, credentialScope: string}>}
 *   headers: what to pass to fetch (the given ones plus X-Amz-Date,
 *   X-Amz-Security-Token and Authorization; never Host, which the browser sets).
 */
export async function signRequest({ method, url, headers = {}, body = '', region, service, credentials, date = new Date() }) {
  if (!credentials || !credentials.accessKeyId || !credentials.secretAccessKey) {
    throw new Error('signRequest: credentials need accessKeyId and secretAccessKey');
  }
  if (!region || !service) throw new Error('signRequest: region and service are required');
  const u = url instanceof URL ? url : new URL(url);
  const xAmzDate = amzDate(date);
  const dateStamp = xAmzDate.slice(0, 8);

  const toSend = { ...headers, 'X-Amz-Date': xAmzDate };
  if (credentials.sessionToken) toSend['X-Amz-Security-Token'] = credentials.sessionToken;

  const canonical = new Map([['host', u.host]]);
  for (const [name, value] of Object.entries(toSend)) {
    const lower = name.toLowerCase();
    if (lower === 'host' || lower === 'authorization') continue;
    canonical.set(lower, canonicalHeaderValue(value));
  }
  const names = [...canonical.keys()].sort();
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((n) => `${n}:${canonical.get(n)}\n`).join('');

  const canonicalRequest = [
    method.toUpperCase(),
    canonicalUri(u.pathname),
    canonicalQuery(u.searchParams),
    canonicalHeaders,
    signedHeaders,
    await sha256Hex(body ?? ''),
  ].join('\n');

  const credentialScope = `${dateStamp}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, xAmzDate, credentialScope, await sha256Hex(canonicalRequest)].join('\n');
  const key = await signingKey(credentials.secretAccessKey, dateStamp, region, service);
  const signature = toHex(await hmac(key, stringToSign));

  toSend.Authorization =
    `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  delete toSend.Host;
  delete toSend.host;
  return { headers: toSend, signature, signedHeaders, canonicalRequest, stringToSign, credentialScope };
}
