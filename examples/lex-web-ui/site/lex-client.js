// The page's two AWS calls, without any DOM: guest credentials from a Cognito
// identity pool (the unsigned Cognito Identity JSON API) and Lex V2
// RecognizeText, signed with SigV4. Runs in browsers and in Node 20+.

import { signRequest } from './sigv4.js';

const REQUIRED = ['region', 'identityPoolId', 'botId', 'botAliasId', 'localeId'];
/** Credentials are fetched again this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;
const AMZ_JSON = 'application/x-amz-json-1.1';

/** config.json is missing, unreadable or incomplete. */
export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** An AWS endpoint could not be reached, or answered with an error. */
export class ServiceError extends Error {
  constructor(service, message, { status = 0, type = '' } = {}) {
    super(message);
    this.name = 'ServiceError';
    this.service = service;
    this.status = status; // 0: no HTTP answer (network error)
    this.type = type;
  }
}

function endpoint(value, name, fallback, problems) {
  if (value === undefined || value === null || value === '') return fallback;
  let u;
  try {
    u = new URL(value);
  } catch {
    problems.push(`${name} is not a URL`);
    return fallback;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') problems.push(`${name} must be an http(s) URL`);
  return u.href.endsWith('/') ? u.href : u.href + '/';
}

/**
 * Checks the parsed config.json and fills in the default endpoints.
 * Throws ConfigError naming every problem.
 */
export function validateConfig(raw) {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('config.json must hold a JSON object');
  }
  const problems = [];
  for (const key of REQUIRED) {
    if (raw[key] === undefined || raw[key] === null || raw[key] === '') problems.push(`${key} is missing`);
    else if (typeof raw[key] !== 'string') problems.push(`${key} must be a string`);
  }
  if (typeof raw.region === 'string' && raw.region && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(raw.region)) {
    problems.push(`region "${raw.region}" is not an AWS region name`);
  }
  if (typeof raw.identityPoolId === 'string' && raw.identityPoolId && !/^[\w-]+:[0-9a-f-]+$/.test(raw.identityPoolId)) {
    problems.push('identityPoolId must look like "<region>:<uuid>"');
  }
  const region = typeof raw.region === 'string' ? raw.region : '';
  const cognitoIdentityEndpoint = endpoint(raw.cognitoIdentityEndpoint, 'cognitoIdentityEndpoint',
    `https://cognito-identity.${region}.amazonaws.com/`, problems);
  const lexRuntimeEndpoint = endpoint(raw.lexRuntimeEndpoint, 'lexRuntimeEndpoint',
    `https://runtime-v2-lex.${region}.amazonaws.com/`, problems);
  if (problems.length) throw new ConfigError(`config.json: ${problems.join('; ')}.`);
  const { identityPoolId, botId, botAliasId, localeId } = raw;
  return { region, identityPoolId, botId, botAliasId, localeId, cognitoIdentityEndpoint, lexRuntimeEndpoint };
}

/** Fetches and validates config.json (relative to the page by default). */
export async function loadConfig(url = 'config.json', { fetch: f = globalThis.fetch } = {}) {
  let res;
  try {
    res = await f(url, { cache: 'no-store' });
  } catch (e) {
    throw new ConfigError(`config.json could not be loaded (${e.message || 'network error'}).`);
  }
  if (!res.ok) throw new ConfigError(`config.json could not be loaded (HTTP ${res.status}).`);
  let raw;
  try {
    raw = JSON.parse(await res.text());
  } catch {
    throw new ConfigError('config.json is not valid JSON.');
  }
  return validateConfig(raw);
}

/** A random session id for RecognizeText: [0-9a-zA-Z._:-], 2 to 100 characters. */
export function newSessionId() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

async function call(f, service, url, init) {
  let res;
  try {
    res = await f(url, init);
  } catch (e) {
    throw new ServiceError(service, `Could not reach ${service} (network error: ${e.message || e}).`);
  }
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    // The error type: the x-amzn-ErrorType header ("Type:extra"), or __type ("ns#Type").
    const header = res.headers.get('x-amzn-ErrorType') || '';
    const type = (header.split(':')[0] || String(body?.__type ?? '').split('#').pop() || '').trim();
    const detail = body?.message || body?.Message || text.slice(0, 200) || res.statusText || '';
    const what = `${service} answered HTTP ${res.status}${type ? ` (${type})` : ''}`;
    throw new ServiceError(service, detail ? `${what}: ${detail}` : `${what}.`, { status: res.status, type });
  }
  if (body === null) throw new ServiceError(service, `${service} sent a reply that is not JSON.`, { status: res.status });
  return body;
}

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k) };
}

function defaultStorage() {
  try {
    const s = globalThis.localStorage;
    if (s) {
      s.getItem('lex-web-ui:probe');
      return s;
    }
  } catch {
    // Storage is blocked (privacy settings): keep the identity for this page load only.
  }
  return memoryStorage();
}

/**
 * A client for one bot alias and locale.
 * options.fetch: the fetch to use; options.storage: where the guest identity
 * id is kept between page loads (localStorage by default).
 */
export function createLexClient(config, { fetch: f = globalThis.fetch.bind(globalThis), storage = defaultStorage(), now = () => Date.now() } = {}) {
  const identityKey = `lex-web-ui:identity:${config.identityPoolId}`;
  let cached = null; // { credentials, expiresAt }
  let pending = null;

  const cognito = (target, input) =>
    call(f, 'Amazon Cognito', config.cognitoIdentityEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': AMZ_JSON, 'X-Amz-Target': `AWSCognitoIdentityService.${target}` },
      body: JSON.stringify(input),
    });

  async function fetchCredentials() {
    let identityId = null;
    try { identityId = storage.getItem(identityKey); } catch { identityId = null; }
    let out;
    if (identityId) {
      try {
        out = await cognito('GetCredentialsForIdentity', { IdentityId: identityId });
      } catch (e) {
        // A stored identity from another pool, or deleted: start over with a new one.
        if (!(e instanceof ServiceError) || e.status !== 400) throw e;
        identityId = null;
      }
    }
    if (!identityId) {
      const id = await cognito('GetId', { IdentityPoolId: config.identityPoolId });
      if (!id.IdentityId) throw new ServiceError('Amazon Cognito', 'Amazon Cognito sent no IdentityId.');
      identityId = id.IdentityId;
      try { storage.setItem(identityKey, identityId); } catch { /* not kept: fine */ }
      out = await cognito('GetCredentialsForIdentity', { IdentityId: identityId });
    }
    const c = out.Credentials || {};
    if (!c.AccessKeyId || !c.SecretKey || !c.SessionToken) {
      throw new ServiceError('Amazon Cognito', 'Amazon Cognito sent incomplete credentials.');
    }
    // The JSON API sends Expiration as epoch seconds; accept an ISO date too.
    const exp = typeof c.Expiration === 'number' ? c.Expiration * 1000 : Date.parse(c.Expiration);
    const credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken };
    cached = { credentials, expiresAt: Number.isFinite(exp) ? exp : 0 };
    return credentials;
  }

  /** Guest credentials, cached until shortly before they expire. */
  async function credentials() {
    if (cached && now() < cached.expiresAt - REFRESH_MARGIN_MS) return cached.credentials;
    if (!pending) pending = fetchCredentials().finally(() => { pending = null; });
    return pending;
  }

  /** RecognizeText: the bot's answer (the parsed JSON reply). */
  async function recognizeText(sessionId, text, { retried = false } = {}) {
    const creds = await credentials();
    const e = encodeURIComponent;
    const url = new URL(
      `bots/${e(config.botId)}/botAliases/${e(config.botAliasId)}/botLocales/${e(config.localeId)}/sessions/${e(sessionId)}/text`,
      config.lexRuntimeEndpoint,
    );
    const body = JSON.stringify({ text });
    const signed = await signRequest({
      method: 'POST', url, body, region: config.region, service: 'lex', credentials: creds,
      headers: { 'Content-Type': 'application/json' },
    });
    try {
      return await call(f, 'Amazon Lex', url, { method: 'POST', headers: signed.headers, body });
    } catch (err) {
      // Credentials that expired early (or were revoked): once more with fresh ones.
      if (!retried && err.status === 403 && /expired|ExpiredToken|UnrecognizedClient/i.test(`${err.type} ${err.message}`)) {
        cached = null;
        return recognizeText(sessionId, text, { retried: true });
      }
      throw err;
    }
  }

  return { credentials, recognizeText, forgetCredentials: () => { cached = null; } };
}

/** The text of each message in a RecognizeText reply, in order. */
export function replyTexts(reply) {
  const out = [];
  for (const m of reply?.messages ?? []) {
    if (m.contentType === 'ImageResponseCard' && m.imageResponseCard) {
      const card = m.imageResponseCard;
      const lines = [card.title, card.subtitle, ...(card.buttons ?? []).map((b) => `• ${b.text}`)];
      out.push(lines.filter(Boolean).join('\n'));
    } else if (m.contentType === 'SSML' && typeof m.content === 'string') {
      out.push(m.content.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim());
    } else if (typeof m.content === 'string' && m.content) {
      out.push(m.content);
    }
  }
  return out.filter((t) => t.length > 0);
}
