// SAPA web chat client: posts messages, receives replies over server-sent events.
// No framework and no inline script, so the page runs under a strict CSP.
// The visitor id is issued (signed) by the server and kept in localStorage; it never
// goes into a URL: history sends it in a header, the event stream uses a single-use token.
//
// What the applicant sees besides the messages:
// - a welcome shown by the page itself on a first visit (nothing is sent in their name);
// - the page in Indonesian or English (?lang=en, the browser's language, or the switch);
// - each message's time in the office's zone (WITA) and, for their own messages, whether
//   it is being sent, was sent, or was read by an officer;
// - a message that could not be sent keeps its place with the reason and "Kirim ulang";
//   unsent messages are kept (also across reloads) and sent again, in order, when the
//   connection is back; the server stores each one once (the same clientMessageId).
// - a voice note ("Rekam suara", voice.js) for people who cannot type: recorded in the
//   browser, sent in order with the typed messages (POST /chat/voice), shown as
//   "🎤 Pesan suara". A recording is kept in memory only: a reload loses one not yet sent.
import { clock, setupVoice } from './voice.js';

const STORAGE_KEY = 'sapa.visitorId';
const UNSENT_KEY = 'sapa.unsent';
const LANGUAGE_KEY = 'sapa.lang';
const ISSUED_ID = /^v1[A-Za-z0-9_-]{48}$/;
const RATING_PAYLOAD = /^csat:\d+:([1-5])$/;
/** Waits between automatic attempts of one message; the last one repeats while the page is open. */
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000, 30000];

const STRINGS = {
  id: {
    title: 'SAPA · Layanan Paspor Kantor Imigrasi Kupang',
    subtitle: 'Layanan Paspor · Kantor Imigrasi Kelas I TPI Kupang',
    menu: 'Menu',
    otherLanguage: 'English',
    otherLanguageCode: 'en',
    newConversation: 'Percakapan baru',
    newConversationTitle: 'Untuk perangkat bersama: hapus percakapan ini dari perangkat dan mulai baru',
    confirmNew: 'Mulai percakapan baru? Percakapan ini akan dihapus dari perangkat ini (petugas tetap dapat membacanya).',
    logLabel: 'Percakapan dengan SAPA',
    quickReplies: 'Pilihan cepat',
    rating: 'Beri nilai dari 1 sampai 5',
    ratingSuffix: 'dari 5 bintang',
    inputLabel: 'Tulis pesan',
    placeholder: 'Tulis pertanyaan atau keluhan…',
    placeholderShort: 'Tulis pertanyaan…',
    placeholderTiny: 'Pesan…',
    send: 'Kirim',
    note: 'Jangan kirim NIK, nomor paspor, atau kata sandi M-Paspor di sini.',
    who: { bot: 'SAPA', system: 'SAPA', staff: 'Petugas', applicant: 'Anda' },
    connecting: 'Menghubungkan…',
    online: 'Terhubung',
    reconnecting: 'Menyambung ulang…',
    offline: 'Tidak ada koneksi',
    unsent: (n) => `${n} pesan belum terkirim`,
    sending: 'Mengirim…',
    waiting: 'Menunggu pesan sebelumnya…',
    sent: '✓ Terkirim',
    read: '✓✓ Dibaca petugas',
    failed: {
      offline: 'Belum terkirim: tidak ada koneksi internet.',
      network: 'Belum terkirim: server tidak dapat dihubungi.',
      server: 'Belum terkirim: layanan sedang tidak dapat menerima pesan.',
      rate: 'Belum terkirim: terlalu banyak pesan dalam satu menit.',
      refused: (code) => `Pesan ditolak oleh server (kode ${code}). Ubah pesan lalu kirim lagi.`,
      voiceRefused: (code) =>
        Number(code) === 413 ? 'Pesan suara terlalu panjang. Silakan rekam pesan yang lebih singkat.' : `Pesan suara tidak dapat diterima (kode ${code}). Silakan rekam lagi atau tulis pesan.`,
    },
    autoRetry: 'Akan dikirim ulang otomatis saat koneksi kembali.',
    resend: 'Kirim ulang',
    welcome:
      'Halo, selamat datang di SAPA, layanan informasi paspor Kantor Imigrasi Kelas I TPI Kupang.\nSilakan tulis pertanyaan Bapak/Ibu. Ketik \'petugas\' bila ingin dilayani petugas.',
    timeLocale: 'id-ID',
    voice: 'Rekam suara',
    voiceHint: 'Tahan tombol sambil berbicara, lalu lepas untuk mengirim. Atau tekan sekali untuk mulai merekam.',
    voiceSend: 'Kirim suara',
    voiceCancel: 'Batal',
    voiceNote: '🎤 Pesan suara',
    voiceStarting: 'Menyiapkan mikrofon…',
    voiceRecording: 'Merekam…',
    voiceLimit: (max) => `(paling lama ${max}).`,
    voiceReleaseToSend: 'Lepas tombol untuk mengirim, geser keluar untuk batal.',
    voicePressSend: 'Tekan "Kirim suara" bila selesai.',
    voiceTooShort: 'Rekaman terlalu singkat. Tahan tombol selama berbicara, atau tekan sekali untuk mulai merekam.',
    voiceCancelled: 'Rekaman dibatalkan.',
    voiceMaxReached: 'Batas 3 menit tercapai; pesan suara dikirim.',
    voiceProblem: {
      unsupported: 'Browser ini tidak dapat merekam suara. Silakan tulis pesan Anda, atau buka halaman ini di Chrome atau Safari yang terbaru.',
      insecure: 'Perekam suara tidak dapat dipakai di alamat ini (perlu https). Silakan tulis pesan Anda.',
      denied: 'Izin mikrofon ditolak. Izinkan mikrofon untuk halaman ini di pengaturan browser, lalu coba lagi. Atau tulis pesan Anda.',
      noMicrophone: 'Mikrofon tidak ditemukan. Silakan tulis pesan Anda.',
      failed: 'Perekaman tidak dapat dimulai. Silakan coba lagi atau tulis pesan Anda.',
    },
  },
  en: {
    title: 'SAPA · Passport service of the Kupang Immigration Office',
    subtitle: 'Passport service · Kupang Immigration Office',
    menu: 'Menu',
    otherLanguage: 'Bahasa Indonesia',
    otherLanguageCode: 'id',
    newConversation: 'New conversation',
    newConversationTitle: 'For shared devices: remove this conversation from this device and start again',
    confirmNew: 'Start a new conversation? This conversation will be removed from this device (officers can still read it).',
    logLabel: 'Conversation with SAPA',
    quickReplies: 'Suggestions',
    rating: 'Rate from 1 to 5',
    ratingSuffix: 'of 5 stars',
    inputLabel: 'Write a message',
    placeholder: 'Write a question or complaint…',
    placeholderShort: 'Write a question…',
    placeholderTiny: 'Message…',
    send: 'Send',
    note: 'Do not send your NIK, passport number or M-Paspor password here.',
    who: { bot: 'SAPA', system: 'SAPA', staff: 'Officer', applicant: 'You' },
    connecting: 'Connecting…',
    online: 'Connected',
    reconnecting: 'Reconnecting…',
    offline: 'No connection',
    unsent: (n) => (n === 1 ? '1 message not sent' : `${n} messages not sent`),
    sending: 'Sending…',
    waiting: 'Waiting for the previous message…',
    sent: '✓ Sent',
    read: '✓✓ Read by an officer',
    failed: {
      offline: 'Not sent: no internet connection.',
      network: 'Not sent: the server cannot be reached.',
      server: 'Not sent: the service cannot take messages right now.',
      rate: 'Not sent: too many messages in one minute.',
      refused: (code) => `The server refused this message (code ${code}). Change it and send it again.`,
      voiceRefused: (code) =>
        Number(code) === 413 ? 'The voice message is too long. Please record a shorter one.' : `The voice message was not accepted (code ${code}). Please record it again or type your message.`,
    },
    autoRetry: 'It will be sent again automatically when the connection is back.',
    resend: 'Send again',
    welcome:
      "Hello, welcome to SAPA, the passport information service of the Kupang Immigration Office.\nPlease type your question. Type 'officer' to talk to a staff member.",
    timeLocale: 'en-GB',
    voice: 'Record voice',
    voiceHint: 'Hold the button while you speak and let go to send. Or press it once to start recording.',
    voiceSend: 'Send voice',
    voiceCancel: 'Cancel',
    voiceNote: '🎤 Voice message',
    voiceStarting: 'Getting the microphone ready…',
    voiceRecording: 'Recording…',
    voiceLimit: (max) => `(at most ${max}).`,
    voiceReleaseToSend: 'Let go to send, slide away to cancel.',
    voicePressSend: 'Press "Send voice" when you are done.',
    voiceTooShort: 'The recording is too short. Hold the button while you speak, or press it once to start recording.',
    voiceCancelled: 'Recording cancelled.',
    voiceMaxReached: 'The 3-minute limit was reached; the voice message is sent.',
    voiceProblem: {
      unsupported: 'This browser cannot record voice. Please type your message, or open this page in an up-to-date Chrome or Safari.',
      insecure: 'Voice recording cannot be used at this address (https is needed). Please type your message.',
      denied: 'Microphone permission was refused. Allow the microphone for this page in the browser settings and try again. Or type your message.',
      noMicrophone: 'No microphone was found. Please type your message.',
      failed: 'Recording could not start. Please try again or type your message.',
    },
  },
};

const log = document.getElementById('log');
const form = document.getElementById('form');
const input = document.getElementById('input');
const sendButton = document.getElementById('send');
const statusEl = document.getElementById('status');
const repliesEl = document.getElementById('quick-replies');
const newButton = document.getElementById('new-conversation');
const languageButton = document.getElementById('language');
const menuToggle = document.getElementById('menu-toggle');
const actions = document.getElementById('header-actions');
const voiceButton = document.getElementById('voice');

const shown = new Map(); // stored message id -> element
let lastId = 0;
let readUpTo = 0;
let visitor = null;
let events = null;
let streamOpen = false;
let everConnected = false;
let reconnectTimer = null;
let reconnectAttempt = 0;
let zone = { timeZone: 'Asia/Makassar', timeZoneLabel: 'WITA' };
let welcome = null; // the local welcome element, while the conversation is empty
// Bumped by "Percakapan baru": work started for the previous visitor is dropped.
let generation = 0;

let language = initialLanguage();
let t = STRINGS[language];

function initialLanguage() {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'en' || asked === 'id') return asked;
  try {
    const chosen = localStorage.getItem(LANGUAGE_KEY);
    if (chosen === 'en' || chosen === 'id') return chosen;
  } catch { /* private mode */ }
  const preferred = (navigator.languages?.[0] ?? navigator.language ?? '').toLowerCase();
  return preferred.startsWith('en') ? 'en' : 'id';
}

function randomId() {
  if (crypto.randomUUID) return crypto.randomUUID().replaceAll('-', '');
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---------------------------------------------------------------- visitor id

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
  try {
    localStorage.removeItem(STORAGE_KEY);
    localStorage.removeItem(UNSENT_KEY);
  } catch { /* private mode */ }
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

// ---------------------------------------------------------------- times

const formatters = new Map();
function formatter(kind) {
  const key = `${kind}|${language}|${zone.timeZone}`;
  let found = formatters.get(key);
  if (!found) {
    const options =
      kind === 'time' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : kind === 'day' ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
          : { year: 'numeric', month: '2-digit', day: '2-digit' };
    try {
      found = new Intl.DateTimeFormat(kind === 'key' ? 'en-CA' : t.timeLocale, { ...options, timeZone: zone.timeZone });
    } catch {
      found = new Intl.DateTimeFormat(kind === 'key' ? 'en-CA' : t.timeLocale, options);
    }
    formatters.set(key, found);
  }
  return found;
}

function applyZone(info) {
  if (typeof info?.timeZone === 'string' && typeof info?.timeZoneLabel === 'string') {
    zone = { timeZone: info.timeZone, timeZoneLabel: info.timeZoneLabel };
  }
}

// ---------------------------------------------------------------- messages

function messageElement(author) {
  const item = document.createElement('div');
  item.className = `msg msg--${author}`;
  item.dataset.author = author;
  const who = document.createElement('span');
  who.className = 'msg__who';
  const body = document.createElement('p');
  body.className = 'msg__text';
  const meta = document.createElement('p');
  meta.className = 'msg__meta';
  item.append(who, body, meta);
  return item;
}

/** Writes the parts of a message that depend on the language: who, time, state. */
function paint(item) {
  item.querySelector('.msg__who').textContent = t.who[item.dataset.author] ?? '';
  if (item.dataset.voice !== undefined) {
    const seconds = Number(item.dataset.voice);
    item.querySelector('.msg__text').textContent = seconds > 0 ? `${t.voiceNote} (${clock(seconds)})` : t.voiceNote;
  }
  const meta = item.querySelector('.msg__meta');
  meta.replaceChildren();
  if (item.dataset.at) {
    const at = new Date(item.dataset.at);
    const time = document.createElement('time');
    time.dateTime = item.dataset.at;
    time.textContent = `${formatter('time').format(at)} ${zone.timeZoneLabel}`;
    meta.append(time);
  }
  const state = item.dataset.state;
  if (state) {
    const span = document.createElement('span');
    span.className = 'msg__state';
    span.dataset.state = state;
    span.textContent = t[state];
    meta.append(span);
  }
  meta.hidden = meta.childElementCount === 0;
  const error = item.querySelector('.msg__error');
  if (error) {
    const reason = item.dataset.voice !== undefined && item.dataset.failure === 'refused' ? t.failed.voiceRefused : t.failed[item.dataset.failure];
    error.textContent = typeof reason === 'function' ? reason(item.dataset.failureCode) : reason;
    item.querySelector('.msg__hint').textContent = item.dataset.failure === 'refused' ? '' : t.autoRetry;
    const resend = item.querySelector('.msg__resend');
    resend.textContent = t.resend;
    // A recording the server refused (too long, not a recording) would be refused again: record anew instead.
    resend.hidden = item.dataset.voice !== undefined && item.dataset.failure === 'refused';
  }
}

/** A day label before the first message of each office day ("Senin, 30 November 2026"). */
function markDay(item) {
  const day = formatter('key').format(new Date(item.dataset.at));
  item.dataset.day = day;
  let previous = item.previousElementSibling;
  while (previous && !previous.dataset.day) previous = previous.previousElementSibling;
  const next = item.nextElementSibling;
  if (next?.classList.contains('chat__day') && next.dataset.day === day) next.remove();
  if (previous?.dataset.day === day) return;
  const label = document.createElement('p');
  label.className = 'chat__day';
  label.dataset.day = day;
  label.dataset.at = item.dataset.at;
  label.textContent = formatter('day').format(new Date(item.dataset.at));
  item.before(label);
}

function render(message) {
  if (message.clientMessageId) settleFromServer(message.clientMessageId);
  if (shown.has(message.id)) return;
  // The welcome stays at the top for this visit (it is not stored: a reload shows the history only).
  welcome = null;
  const item = messageElement(message.author);
  item.querySelector('.msg__text').textContent = message.text; // textContent: applicant and staff text is never HTML
  // A voice note has no text: paint() labels it (with its length when this page recorded it).
  if (message.text === '' && message.attachments?.some((a) => a.kind === 'voice' || a.kind === 'audio')) item.dataset.voice = String(message.seconds ?? 0);
  item.dataset.id = String(message.id);
  if (message.createdAt) item.dataset.at = message.createdAt;
  if (message.author === 'applicant') item.dataset.state = message.id <= readUpTo ? 'read' : 'sent';
  paint(item);
  // Keep the log in message order: a reply can arrive before our own POST returns;
  // messages still being sent stay last.
  let later = [...log.children].find((el) => (el.dataset.id && Number(el.dataset.id) > message.id) || el.dataset.client) ?? null;
  // Before the day label of the message it goes before, not between the two.
  if (later?.previousElementSibling?.classList.contains('chat__day')) later = later.previousElementSibling;
  log.insertBefore(item, later);
  if (item.dataset.at) markDay(item);
  shown.set(message.id, item);
  if (message.id > lastId) {
    lastId = message.id;
    showQuickReplies(message.author === 'applicant' ? [] : message.quickReplies ?? []);
  }
  scrollToEnd();
}

function applyReceipt(upTo) {
  if (typeof upTo !== 'number' || upTo <= readUpTo) return;
  readUpTo = upTo;
  for (const [id, item] of shown) {
    if (id <= upTo && item.dataset.author === 'applicant' && item.dataset.state !== 'read') {
      item.dataset.state = 'read';
      paint(item);
    }
  }
}

function scrollToEnd() {
  log.scrollTop = log.scrollHeight;
}

function showQuickReplies(replies) {
  repliesEl.replaceChildren();
  const rating = replies.length > 0 && replies.every((reply) => RATING_PAYLOAD.test(reply.payload));
  repliesEl.classList.toggle('chat__replies--rating', rating);
  repliesEl.setAttribute('aria-label', rating ? t.rating : t.quickReplies);
  for (const reply of replies) {
    const button = document.createElement('button');
    button.type = 'button';
    if (rating) {
      // "3" with three stars: the number is read and seen, the stars are decoration.
      const n = Number(RATING_PAYLOAD.exec(reply.payload)[1]);
      button.className = 'rating';
      const number = document.createElement('span');
      number.className = 'rating__number';
      number.textContent = String(n);
      const stars = document.createElement('span');
      stars.className = 'rating__stars';
      stars.setAttribute('aria-hidden', 'true');
      stars.textContent = '★'.repeat(n);
      const spoken = document.createElement('span');
      spoken.className = 'visually-hidden';
      spoken.textContent = ` ${t.ratingSuffix}`;
      button.append(number, stars, spoken);
    } else {
      button.textContent = reply.label;
    }
    button.addEventListener('click', () => send(reply.label, reply.payload));
    repliesEl.append(button);
  }
  repliesEl.hidden = replies.length === 0;
  repliesEl.quickReplies = replies;
}

// ---------------------------------------------------------------- the local welcome

/** First visit: the office's greeting, shown here only; nothing is posted in the applicant's name. */
async function showWelcome() {
  const mine = generation;
  let text = t.welcome;
  let replies = [];
  try {
    const response = await fetch(`/chat/welcome?lang=${language}`);
    if (response.ok) {
      const body = await response.json();
      text = body.text;
      replies = body.quickReplies ?? [];
      applyZone(body);
    }
  } catch { /* offline: the page's own short welcome */ }
  if (mine !== generation || shown.size > 0 || queue.length > 0) return;
  welcome ??= messageElement('bot');
  welcome.classList.add('msg--welcome');
  welcome.querySelector('.msg__text').textContent = text;
  paint(welcome);
  if (!welcome.isConnected) log.append(welcome);
  showQuickReplies(replies);
}

// ---------------------------------------------------------------- sending

/** Messages not yet stored by the server, oldest first; sent one at a time, in order. */
const queue = [];
let pumping = false;
let wake = null; // ends the wait before the next automatic attempt

function persistQueue() {
  try {
    // Recordings are too large for localStorage: only typed messages survive a reload.
    const typed = queue.filter((item) => !item.voice);
    if (typed.length === 0) localStorage.removeItem(UNSENT_KEY);
    else localStorage.setItem(UNSENT_KEY, JSON.stringify({ visitor: visitor ?? storedVisitor(), items: typed.map(({ clientMessageId, text, payload }) => ({ clientMessageId, text, payload })) }));
  } catch { /* private mode */ }
}

/** Messages left unsent when the page was closed or reloaded: shown again and sent. */
function restoreQueue() {
  let saved = null;
  try { saved = JSON.parse(localStorage.getItem(UNSENT_KEY) ?? 'null'); } catch { saved = null; }
  if (!saved || saved.visitor !== visitor || !Array.isArray(saved.items)) return;
  for (const entry of saved.items) {
    if (typeof entry?.clientMessageId !== 'string' || typeof entry.text !== 'string') continue;
    if (queue.some((item) => item.clientMessageId === entry.clientMessageId)) continue;
    enqueue({ clientMessageId: entry.clientMessageId, text: entry.text, payload: typeof entry.payload === 'string' ? entry.payload : undefined });
  }
}

function enqueue(entry) {
  const item = { ...entry, element: pendingElement(entry), failure: null, stored: false, renewed: false };
  queue.push(item);
  persistQueue();
  markWaiting();
  return item;
}

function pendingElement(entry) {
  const item = messageElement('applicant');
  item.classList.add('msg--pending');
  item.dataset.client = entry.clientMessageId;
  item.dataset.state = 'sending';
  item.querySelector('.msg__text').textContent = entry.text;
  if (entry.voice) item.dataset.voice = String(entry.voice.seconds);
  paint(item);
  welcome = null;
  log.append(item);
  scrollToEnd();
  return item;
}

/** Messages behind one that is not sent yet say they wait for it. */
function markWaiting() {
  queue.forEach((item, index) => {
    if (item.failure || !item.element) return;
    const state = index === 0 || !queue[index - 1].failure ? 'sending' : 'waiting';
    if (item.element.dataset.state !== state) {
      item.element.dataset.state = state;
      paint(item.element);
    }
  });
}

/** The server has this message (history, the stream or the POST's answer): the pending copy goes. */
function settleFromServer(clientMessageId) {
  const item = queue.find((entry) => entry.clientMessageId === clientMessageId);
  if (!item) return;
  item.stored = true;
  item.element?.remove();
  item.element = null;
  const index = queue.indexOf(item);
  if (index >= 0 && !pumping) {
    queue.splice(index, 1);
    persistQueue();
  }
  updateStatus();
}

function showFailure(item, failure, code) {
  item.failure = failure;
  const element = item.element;
  if (!element) return;
  element.classList.add('msg--failed');
  element.classList.remove('msg--pending');
  delete element.dataset.state;
  element.dataset.failure = failure;
  if (code !== undefined) element.dataset.failureCode = String(code);
  if (!element.querySelector('.msg__error')) {
    const error = document.createElement('p');
    error.className = 'msg__error';
    error.setAttribute('role', 'alert');
    const hint = document.createElement('p');
    hint.className = 'msg__hint';
    const resend = document.createElement('button');
    resend.type = 'button';
    resend.className = 'msg__resend';
    resend.addEventListener('click', () => resendNow(item));
    element.append(error, hint, resend);
  }
  paint(element);
  markWaiting();
  updateStatus();
}

function clearFailure(item) {
  item.failure = null;
  const element = item.element;
  if (!element) return;
  element.classList.remove('msg--failed');
  element.classList.add('msg--pending');
  delete element.dataset.failure;
  delete element.dataset.failureCode;
  for (const part of element.querySelectorAll('.msg__error, .msg__hint, .msg__resend')) part.remove();
  element.dataset.state = 'sending';
  paint(element);
}

function resendNow(item) {
  if (!queue.includes(item)) {
    queue.push(item);
    persistQueue();
  }
  clearFailure(item);
  markWaiting();
  updateStatus();
  wake?.();
  void pump();
}

/** One POST; what happened, as a value. */
async function post(item) {
  try {
    const id = await ensureVisitor();
    const response = item.voice
      ? await fetch('/chat/voice', {
        method: 'POST',
        headers: { 'content-type': item.voice.type, 'x-visitor-id': id, 'x-client-message-id': item.clientMessageId, 'x-voice-duration': item.voice.seconds.toFixed(1) },
        body: item.voice.blob,
      })
      : await fetch('/chat/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ visitorId: id, clientMessageId: item.clientMessageId, text: item.text, ...(item.payload ? { quickReplyPayload: item.payload } : {}) }),
      });
    if (response.status === 202) return { kind: 'stored', body: await response.json() };
    if (response.status === 403 && !item.renewed) {
      item.renewed = true;
      await renewVisitor();
      void connect();
      return { kind: 'again' };
    }
    if (response.status === 429) return { kind: 'rate', waitMs: Math.min(60, Number(response.headers.get('retry-after')) || 10) * 1000 };
    if (response.status >= 500) return { kind: 'server' };
    return { kind: 'refused', code: response.status };
  } catch {
    return { kind: navigator.onLine === false ? 'offline' : 'network' };
  }
}

function pause(ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      if (wake === done) wake = null;
      resolve();
    }
    wake = done;
  });
}

/** Sends the queue in order. A message that keeps failing stops it until the connection is back or "Kirim ulang". */
async function pump() {
  if (pumping) return;
  pumping = true;
  const mine = generation;
  try {
    let attempt = 0;
    while (queue.length > 0 && mine === generation) {
      const item = queue[0];
      if (item.stored) {
        queue.shift();
        persistQueue();
        continue;
      }
      const outcome = await post(item);
      if (mine !== generation) return;
      if (outcome.kind === 'stored' || item.stored) {
        queue.shift();
        persistQueue();
        item.element?.remove();
        item.element = null;
        item.stored = true;
        if (outcome.kind === 'stored') {
          render({
            id: outcome.body.messageId,
            author: 'applicant',
            text: item.text,
            quickReplies: [],
            createdAt: outcome.body.createdAt ?? undefined,
            ...(item.voice ? { attachments: [{ kind: 'voice' }], seconds: item.voice.seconds } : {}),
          });
        }
        attempt = 0;
        markWaiting();
        updateStatus();
        continue;
      }
      if (outcome.kind === 'again') continue;
      if (outcome.kind === 'refused') {
        // Sending it again unchanged would be refused again: it leaves the queue, the rest goes on.
        queue.shift();
        persistQueue();
        showFailure(item, 'refused', outcome.code);
        attempt = 0;
        continue;
      }
      // Shown at once (reason and "Kirim ulang"); tried again by itself, sooner when the
      // connection comes back (stream open, browser online) or the button is pressed.
      showFailure(item, outcome.kind);
      await pause(outcome.kind === 'rate' ? outcome.waitMs : RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]);
      attempt += 1;
      if (mine !== generation) return;
    }
  } finally {
    pumping = false;
    updateStatus();
  }
}

function send(text, payload) {
  const clean = text.trim();
  if (!clean) return;
  showQuickReplies([]);
  enqueue({ clientMessageId: randomId(), text: clean, payload });
  updateStatus();
  void pump();
}

/** A finished recording: queued like a typed message, so it keeps its place and is retried. */
function sendVoice(recording) {
  showQuickReplies([]);
  enqueue({ clientMessageId: randomId(), text: '', voice: recording });
  updateStatus();
  void pump();
}

/** The connection is back: messages waiting after failures go out again. */
function retryUnsent() {
  if (queue.length === 0) return;
  for (const item of queue) if (item.failure) clearFailure(item);
  markWaiting();
  wake?.();
  void pump();
}

// ---------------------------------------------------------------- connection state

function updateStatus() {
  const unsent = queue.filter((item) => !item.stored && item.failure).length + [...log.querySelectorAll('.msg--failed')].filter((el) => !queue.some((item) => item.element === el)).length;
  let state;
  let text;
  if (navigator.onLine === false) [state, text] = ['offline', t.offline];
  else if (unsent > 0) [state, text] = ['unsent', t.unsent(unsent)];
  else if (streamOpen) [state, text] = ['online', t.online];
  else if (everConnected) [state, text] = ['offline', t.reconnecting];
  else [state, text] = ['connecting', t.connecting];
  statusEl.dataset.state = state;
  // In a tight header "connected" is a green dot (the CSS hides the word, not from screen readers).
  const word = document.createElement('span');
  word.className = 'chat__status-text';
  word.textContent = text;
  statusEl.replaceChildren(word);
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
  streamOpen = false;
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
    updateStatus();
    scheduleReconnect();
    return;
  }
  if (mine !== generation) return;
  const source = new EventSource(`/chat/events?token=${encodeURIComponent(token)}&after=${lastId}`);
  events = source;
  source.addEventListener('open', () => {
    if (events !== source) return;
    reconnectAttempt = 0;
    streamOpen = true;
    everConnected = true;
    updateStatus();
    retryUnsent();
  });
  source.addEventListener('message', (event) => render(JSON.parse(event.data)));
  source.addEventListener('receipt', (event) => applyReceipt(JSON.parse(event.data).readUpTo));
  // The token is spent: the browser's own retry would be refused, so reconnect with a new one.
  source.addEventListener('error', () => {
    if (events !== source) return;
    source.close();
    events = null;
    streamOpen = false;
    updateStatus();
    scheduleReconnect();
  });
}

async function loadHistory() {
  const mine = generation;
  let body = null;
  try {
    let id = await ensureVisitor();
    let response = await fetch('/chat/history', { headers: { 'x-visitor-id': id } });
    if (response.status === 403) {
      id = await renewVisitor();
      response = await fetch('/chat/history', { headers: { 'x-visitor-id': id } });
    }
    if (response.ok) body = await response.json();
  } catch { /* offline: what was unsent is still shown, and the welcome */ }
  if (mine !== generation) return;
  if (body) {
    applyZone(body);
    applyReceipt(body.readUpTo);
    for (const message of body.messages) render(message);
  }
  restoreQueue();
  if (shown.size === 0 && queue.length === 0) await showWelcome();
}

function start() {
  updateStatus();
  loadHistory()
    .finally(() => {
      void connect();
      void pump();
    });
}

/**
 * "Percakapan baru" on a shared device: this browser forgets the id and what was shown,
 * and starts over with a new id. The old conversation stays on the server for staff.
 */
function startNewConversation() {
  closeMenu();
  if (!window.confirm(t.confirmNew)) return;
  generation += 1;
  clearTimeout(reconnectTimer);
  if (events) {
    events.close();
    events = null;
  }
  streamOpen = false;
  everConnected = false;
  wake?.();
  queue.length = 0;
  voice.cancel();
  forgetVisitor();
  shown.clear();
  lastId = 0;
  readUpTo = 0;
  welcome = null;
  for (const child of [...log.children]) if (!child.classList.contains('chat__note')) child.remove();
  showQuickReplies([]);
  input.value = '';
  fitInput();
  start();
}

// ---------------------------------------------------------------- language

function applyLanguage(next) {
  language = next;
  t = STRINGS[language];
  document.documentElement.lang = language;
  document.title = t.title;
  for (const element of document.querySelectorAll('[data-text]')) element.textContent = t[element.dataset.text];
  log.setAttribute('aria-label', t.logLabel);
  fitPlaceholder();
  languageButton.textContent = t.otherLanguage;
  languageButton.lang = t.otherLanguageCode;
  newButton.title = t.newConversationTitle;
  for (const element of log.querySelectorAll('.msg')) paint(element);
  for (const label of log.querySelectorAll('.chat__day')) label.textContent = formatter('day').format(new Date(label.dataset.at));
  showQuickReplies(repliesEl.quickReplies ?? []);
  voice?.repaint();
  updateStatus();
}

function switchLanguage() {
  const next = language === 'id' ? 'en' : 'id';
  try { localStorage.setItem(LANGUAGE_KEY, next); } catch { /* private mode */ }
  const url = new URL(location.href);
  url.searchParams.set('lang', next);
  history.replaceState(null, '', url);
  applyLanguage(next);
  closeMenu();
  if (welcome) void showWelcome();
}

// ---------------------------------------------------------------- layout

/** Short or narrow for the text size (200% zoom, large text): the compact layout. */
const probe = document.createElement('div');
probe.className = 'layout-probe';
probe.setAttribute('aria-hidden', 'true');
document.body.append(probe);
function updateLayout() {
  const rem = probe.getBoundingClientRect().width / 10 || 16;
  const compact = window.innerHeight / rem < 36 || window.innerWidth / rem < 20;
  document.body.classList.toggle('compact', compact);
  fitPlaceholder();
  if (!compact) closeMenu();
}

function openMenu() {
  actions.classList.add('chat__actions--open');
  menuToggle.setAttribute('aria-expanded', 'true');
  actions.querySelector('button')?.focus();
}

function closeMenu() {
  if (!actions.classList.contains('chat__actions--open')) return;
  actions.classList.remove('chat__actions--open');
  menuToggle.setAttribute('aria-expanded', 'false');
}

/** The longest hint that fits on the box's one line (a cut-off hint reads badly). */
function fitPlaceholder() {
  input.placeholder = t.placeholder;
  if (input.value) return;
  input.style.height = '';
  for (const hint of [t.placeholderShort, t.placeholderTiny]) {
    if (input.scrollHeight <= input.clientHeight + 1) return;
    input.placeholder = hint;
  }
}

/** The text box grows with what is typed, up to its CSS max-height. */
function fitInput() {
  input.style.height = 'auto';
  if (input.value) input.style.height = `${input.scrollHeight + 2}px`;
  else fitPlaceholder();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value;
  input.value = '';
  fitInput();
  send(text);
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit(sendButton);
  }
});
input.addEventListener('input', fitInput);
newButton.addEventListener('click', startNewConversation);
languageButton.addEventListener('click', switchLanguage);
menuToggle.addEventListener('click', () => (actions.classList.contains('chat__actions--open') ? closeMenu() : openMenu()));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && actions.classList.contains('chat__actions--open')) {
    closeMenu();
    menuToggle.focus();
  }
});
document.addEventListener('click', (event) => {
  if (!actions.contains(event.target) && event.target !== menuToggle) closeMenu();
});
window.addEventListener('online', () => {
  updateStatus();
  if (!streamOpen) void connect();
  retryUnsent();
});
window.addEventListener('offline', updateStatus);
new ResizeObserver(updateLayout).observe(probe);
window.addEventListener('resize', updateLayout);

const voice = setupVoice({
  button: voiceButton,
  status: document.getElementById('voice-status'),
  actions: document.getElementById('voice-actions'),
  sendButton: document.getElementById('voice-send'),
  cancelButton: document.getElementById('voice-cancel'),
  strings: () => t,
  onRecorded: sendVoice,
});

applyLanguage(language);
updateLayout();
start();
