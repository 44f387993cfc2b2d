// SAPA web chat client: posts messages, receives replies over server-sent events.
// No framework and no inline script, so the page runs under a strict CSP.
const STORAGE_KEY = 'sapa.visitorId';
const log = document.getElementById('log');
const form = document.getElementById('form');
const input = document.getElementById('input');
const sendButton = document.getElementById('send');
const statusEl = document.getElementById('status');
const repliesEl = document.getElementById('quick-replies');
const shown = new Map(); // message id -> element
let lastId = 0;

function randomId() {
  if (crypto.randomUUID) return crypto.randomUUID().replaceAll('-', '');
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function visitorId() {
  let id = null;
  try { id = localStorage.getItem(STORAGE_KEY); } catch { id = null; }
  if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
    id = randomId();
    try { localStorage.setItem(STORAGE_KEY, id); } catch { /* private mode: id lives for this page only */ }
  }
  return id;
}
const visitor = visitorId();

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
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      const response = await fetch('/chat/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ visitorId: visitor, clientMessageId, text: clean, ...(payload ? { quickReplyPayload: payload } : {}) }),
      });
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

function connect() {
  const events = new EventSource(`/chat/events?visitorId=${encodeURIComponent(visitor)}&after=${lastId}`);
  events.addEventListener('open', () => setStatus('Terhubung', 'online'));
  events.addEventListener('message', (event) => render(JSON.parse(event.data)));
  events.addEventListener('error', () => setStatus('Menyambung ulang…', 'offline'));
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

fetch(`/chat/history?visitorId=${encodeURIComponent(visitor)}`)
  .then((response) => (response.ok ? response.json() : { messages: [] }))
  .then(({ messages }) => {
    for (const message of messages) render(message);
    if (messages.length === 0) send('Halo', 'intent:greeting');
  })
  .catch(() => setStatus('Koneksi terputus', 'offline'))
  .finally(connect);
