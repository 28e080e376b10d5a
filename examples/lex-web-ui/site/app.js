// The chat page: reads config.json, talks to the bot through lex-client.js,
// and shows every failure in the page (role="alert"), keeping the input usable.

import { ConfigError, createLexClient, loadConfig, newSessionId, replyTexts } from './lex-client.js';

const $ = (id) => document.getElementById(id);
const log = $('conversation');
const form = $('composer');
const input = $('message');
const sendButton = $('send');
const errorBox = $('error');
const statusLine = $('status');

// One Lex session per page load.
const sessionId = newSessionId();
let client = null;
let busy = false;

function setStatus(text) {
  statusLine.textContent = text;
}

function showError(err) {
  const prefix = err instanceof ConfigError ? 'Configuration error: ' : '';
  errorBox.textContent = prefix + (err && err.message ? err.message : String(err));
  errorBox.hidden = false;
}

function hideError() {
  errorBox.hidden = true;
  errorBox.textContent = '';
}

/** Appends a message; `who` is "user" or "bot". Text only: never parsed as HTML. */
function addMessage(who, text, extraClass) {
  const li = document.createElement('li');
  li.className = `msg msg--${who}${extraClass ? ` ${extraClass}` : ''}`;
  const label = document.createElement('span');
  label.className = 'msg__who';
  label.textContent = who === 'user' ? 'You: ' : 'Bot: ';
  li.append(label, document.createTextNode(text));
  log.append(li);
  li.scrollIntoView({ block: 'end' });
  return li;
}

/** The client, loading config.json first if that has not worked yet. */
async function ensureClient() {
  if (!client) {
    const config = await loadConfig(new URL('config.json', document.baseURI).href);
    client = createLexClient(config);
  }
  return client;
}

async function start() {
  setStatus('Connecting…');
  try {
    const c = await ensureClient();
    await c.credentials(); // surfaces identity pool problems before the first message
    setStatus('Ready. Ask the bot something.');
  } catch (err) {
    setStatus(err instanceof ConfigError ? 'Not configured.' : 'Not connected. Sending a message tries again.');
    showError(err);
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text || busy) return;
  busy = true;
  sendButton.disabled = true;
  hideError();
  input.value = '';
  const mine = addMessage('user', text);
  const waiting = addMessage('bot', 'typing…', 'msg--pending');
  setStatus('Sending…');
  try {
    const c = await ensureClient();
    const reply = await c.recognizeText(sessionId, text);
    waiting.remove();
    const texts = replyTexts(reply);
    if (texts.length === 0) addMessage('bot', '(The bot sent no text.)', 'msg--pending');
    for (const t of texts) addMessage('bot', t);
    setStatus('Ready.');
  } catch (err) {
    waiting.remove();
    mine.classList.add('msg--failed');
    const note = document.createElement('span');
    note.className = 'msg__note';
    note.textContent = 'Not delivered';
    mine.append(note);
    if (!input.value) input.value = text; // to send again
    setStatus('Not sent.');
    showError(err);
  } finally {
    busy = false;
    sendButton.disabled = false;
    input.focus();
  }
});

// A failure nobody caught still reaches the page, not only the console.
window.addEventListener('unhandledrejection', (event) => showError(event.reason));
window.addEventListener('error', (event) => showError(event.error || event.message));

start();
