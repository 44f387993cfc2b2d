// SAPA web chat client: posts messages, receives replies over server-sent events.
// No framework and no inline script, so the page runs under a strict CSP.
// The visitor id is issued (signed) by the server and kept in localStorage; it never
// goes into a URL: history sends it in a header, the event stream uses a single-use token.
const STORAGE_KEY = 'sapa.visitorId';
const ISSUED_ID = /^v1[A-Za-z0-9_-]{48}$/;
const log = document.getElementById('log');
const form = document.getElementById('form');
const input = document.getElementById('input');
const sendButton = document.getElementById('send');
const statusEl = document.getElementById('status');
const repliesEl = document.getElementById('quick-replies');
const newButton = document.getElementById('new-conversation');
const shown = new Map(); // message id -> element
let lastId = 0;
let visitor = null;
let events = null;
let reconnectTimer = null;
let reconnectAttempt = 0;
// Bumped by "Percakapan baru": work started for the previous visitor is dropped.
let generation = 0;

function randomId() {
  if (crypto.randomUUID) return crypto.randomUUID().replaceAll('-', '');
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function storedVisitor() {
  try {
    const id = localStorage.getItem(STORAGE_KEY);
    // An id from before the server issued them (random, unsigned) is replaced.
    return id && ISSUED_ID.test(id) ? id : null;
  } catch {
    return null;
  }
}

function forgetVisitor() {
  visitor = null;
  try { localStorage.removeItem(STORAGE_KEY); } catch { /* private mode */ }
}

/** The visitor id: the stored one, or a new one from the server. */
let issuing = null; // one request for a new id at a time
async function ensureVisitor() {
  if (visitor) return visitor;
  visitor = storedVisitor();
  if (visitor) return visitor;
  issuing ??= (async () => {
    const response = await fetch('/chat/visitors', { method: 'POST' });
    if (response.status !== 201) throw new Error(`visitor id refused (${response.status})`);
    const id = (await response.json()).visitorId;
    try { localStorage.setItem(STORAGE_KEY, id); } catch { /* private mode: id lives for this page only */ }
    return id;
  })().finally(() => {
    issuing = null;
  });
  visitor = await issuing;
  return visitor;
}

/** The server did not issue this id (another server key, an old id): start with a new one. */
async function renewVisitor() {
  forgetVisitor();
  return ensureVisitor();
}

const WHO = { bot: 'SAPA', staff: 'Petugas', system: 'SAPA', applicant: 'Anda' };

function render(message) {
  if (shown.has(message.id)) return;
  const item = document.createElement('li');
  item.className = `msg msg--${message.author}`;
  const who = document.createElement('span');
  who.className = 'msg__who';
  who.textContent = WHO[message.author] ?? '';
  const body = document.createElement('span');
  body.textContent = message.text; // textContent: applicant and staff text is never HTML
  item.append(who, body);
  item.dataset.id = String(message.id);
  // Keep the log in message order: a reply can arrive before our own POST returns.
  const later = [...log.children].find((el) => el.dataset.id && Number(el.dataset.id) > message.id);
  log.insertBefore(item, later ?? null);
  shown.set(message.id, item);
  lastId = Math.max(lastId, message.id);
  if (message.author !== 'applicant') showQuickReplies(message.quickReplies ?? []);
  log.scrollTop = log.scrollHeight;
}

function showQuickReplies(replies) {
  repliesEl.replaceChildren();
  for (const reply of replies) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = reply.label;
    button.addEventListener('click', () => send(reply.label, reply.payload));
    repliesEl.append(button);
  }
}

function setStatus(text, state) {
  statusEl.textContent = text;
  statusEl.dataset.state = state;
}

async function send(text, payload) {
  const clean = text.trim();
  if (!clean) return;
  const clientMessageId = randomId();
  const pending = document.createElement('li');
  pending.className = 'msg msg--applicant msg--pending';
  pending.textContent = clean;
  log.append(pending);
  log.scrollTop = log.scrollHeight;
  repliesEl.replaceChildren();
  // Retries reuse the same clientMessageId, so the server stores the message once.
  const mine = generation;
  let renewed = false;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      const id = await ensureVisitor();
      const response = await fetch('/chat/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ visitorId: id, clientMessageId, text: clean, ...(payload ? { quickReplyPayload: payload } : {}) }),
      });
      if (mine !== generation) return;
      if (response.status === 403 && !renewed) {
        renewed = true;
        await renewVisitor();
        void connect();
        attempt -= 1;
        continue;
      }
      if (response.status === 202) {
        const { messageId } = await response.json();
        pending.remove();
        render({ id: messageId, author: 'applicant', text: clean, quickReplies: [] });
        setStatus('Terhubung', 'online');
        return;
      }
      if (response.status === 429) {
        setStatus('Terlalu banyak pesan, tunggu sebentar', 'offline');
      } else if (response.status < 500) {
        const body = await response.json().catch(() => ({}));
        pending.classList.add('msg--failed');
        pending.title = body?.error?.message ?? 'Pesan ditolak';
        return;
      }
    } catch {
      setStatus('Koneksi terputus, mencoba lagi…', 'offline');
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
  }
  pending.classList.add('msg--failed');
  pending.title = 'Gagal terkirim. Periksa koneksi lalu kirim ulang.';
}

function scheduleReconnect() {
  clearTimeout(reconnectTimer);
  const delay = Math.min(30_000, 1000 * 2 ** Math.min(reconnectAttempt, 5));
  reconnectAttempt += 1;
  reconnectTimer = setTimeout(connect, delay);
}

/** Opens the reply stream with a fresh single-use token (EventSource cannot send headers). */
async function connect() {
  const mine = generation;
  clearTimeout(reconnectTimer);
  if (events) {
    events.close();
    events = null;
  }
  let token;
  try {
    let id = await ensureVisitor();
    let response = await fetch('/chat/stream-tokens', { method: 'POST', headers: { 'x-visitor-id': id } });
    if (response.status === 403) {
      id = await renewVisitor();
      response = await fetch('/chat/stream-tokens', { method: 'POST', headers: { 'x-visitor-id': id } });
    }
    if (response.status !== 201) throw new Error(`stream token refused (${response.status})`);
    token = (await response.json()).token;
  } catch {
    if (mine !== generation) return;
    setStatus('Menyambung ulang…', 'offline');
    scheduleReconnect();
    return;
  }
  if (mine !== generation) return;
  const source = new EventSource(`/chat/events?token=${encodeURIComponent(token)}&after=${lastId}`);
  events = source;
  source.addEventListener('open', () => {
    reconnectAttempt = 0;
    setStatus('Terhubung', 'online');
  });
  source.addEventListener('message', (event) => render(JSON.parse(event.data)));
  // The token is spent: the browser's own retry would be refused, so reconnect with a new one.
  source.addEventListener('error', () => {
    if (events !== source) return;
    source.close();
    events = null;
    setStatus('Menyambung ulang…', 'offline');
    scheduleReconnect();
  });
}

async function loadHistory() {
  const mine = generation;
  let id = await ensureVisitor();
  let response = await fetch('/chat/history', { headers: { 'x-visitor-id': id } });
  if (response.status === 403) {
    id = await renewVisitor();
    response = await fetch('/chat/history', { headers: { 'x-visitor-id': id } });
  }
  const { messages } = response.ok ? await response.json() : { messages: [] };
  if (mine !== generation) return;
  for (const message of messages) render(message);
  if (messages.length === 0) void send('Halo', 'intent:greeting');
}

function start() {
  loadHistory()
    .catch(() => setStatus('Koneksi terputus', 'offline'))
    .finally(connect);
}

/**
 * "Percakapan baru" on a shared device: this browser forgets the id and what was shown,
 * and starts over with a new id. The old conversation stays on the server for staff.
 */
function startNewConversation() {
  if (!window.confirm('Mulai percakapan baru? Percakapan ini akan dihapus dari perangkat ini (petugas tetap dapat membacanya).')) return;
  generation += 1;
  clearTimeout(reconnectTimer);
  if (events) {
    events.close();
    events = null;
  }
  forgetVisitor();
  shown.clear();
  lastId = 0;
  log.replaceChildren();
  repliesEl.replaceChildren();
  input.value = '';
  setStatus('Menghubungkan…', 'offline');
  start();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value;
  input.value = '';
  void send(text);
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

newButton?.addEventListener('click', startNewConversation);

start();
