// Shared by every dashboard page (loaded as an ES module; no inline script: CSP is script-src 'self').
// Rule: applicant text only ever reaches the page through textContent (see el()), never as markup.

export const state = { user: null, csrfToken: null, timeZone: 'Asia/Makassar', clockOffsetMs: 0 };

/** Now by the server's clock (GET /api/session says what it is): a wrong PC clock shows wrong ages otherwise. */
export function serverNow() {
  return Date.now() + state.clockOffsetMs;
}

/**
 * The API's error codes in Indonesian (the server's messages are English, for logs and API
 * clients). A few frequent messages get a more precise text; everything else goes by code.
 */
export const ERROR_TEXTS = {
  VALIDATION: 'Isian tidak valid. Periksa lagi lalu coba lagi.',
  BAD_REQUEST: 'Permintaan tidak dapat diproses. Muat ulang halaman lalu coba lagi.',
  UNAUTHORIZED: 'Sesi berakhir, silakan masuk lagi.',
  FORBIDDEN: 'Anda tidak berhak melakukan ini.',
  NOT_FOUND: 'Data tidak ditemukan. Mungkin sudah dihapus atau nomornya salah.',
  CONFLICT: 'Tidak bisa dilakukan pada keadaan sekarang (mungkin baru diubah petugas lain). Muat ulang halaman.',
  PAYLOAD_TOO_LARGE: 'Teks terlalu panjang.',
  RATE_LIMITED: 'Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.',
  UNAVAILABLE: 'Server sedang sibuk. Coba lagi sebentar lagi.',
  INTERNAL: 'Terjadi kesalahan di server. Coba lagi; bila berulang, hubungi admin.',
};

const ERROR_PATTERNS = [
  [/is handled by another officer/, 'Tiket ini ditangani petugas lain. Anda hanya dapat melihatnya.'],
  [/needs the (supervisor|admin) role/, 'Hanya pengawas atau admin yang dapat melakukan ini.'],
  [/is closed/, 'Tiket sudah ditutup.'],
  [/cannot go from/, 'Status tiket tidak bisa diubah seperti itu.'],
  [/free or yours: claim it/, 'Tiket ini bebas atau milik Anda: ambil saja.'],
  [/already decided/, 'Permintaan ini sudah diputuskan.'],
  [/only the holder of the ticket or a supervisor/, 'Hanya pemegang tiket atau pengawas yang dapat memutuskan.'],
  [/^to must be/, 'Pilih petugas yang aktif.'],
  [/longer than (\d+) characters/, (m) => `Teks terlalu panjang (paling banyak ${m[1]} karakter).`],
  [/must be non-empty text/, 'Teks tidak boleh kosong.'],
  // #21: recording a complaint and answering outside SAPA.
  [/^contact\.name/, 'Nama pelapor wajib diisi.'],
  [/^contact\.(phone|whatsapp) must be/, 'Nomor telepon tidak valid. Contoh: 0812-3456-7890.'],
  [/^contact\.email must be/, 'Alamat e-mail tidak valid. Contoh: nama@contoh.id.'],
  [/^contact\.telegram must be/, 'Akun Telegram tidak valid: isi ID angka atau @username.'],
  [/^laporTrackingId is only for origin lapor/, 'Nomor LAPOR! hanya untuk aduan yang datang dari LAPOR!.'],
  [/^laporTrackingId must be/, 'Nomor LAPOR! tidak valid (huruf, angka, tanda - . /; 3-40 karakter).'],
  [/^receivedAt is in the future/, 'Waktu diterima tidak boleh di masa depan.'],
  [/^receivedAt is more than 90 days ago/, 'Waktu diterima paling lama 90 hari yang lalu.'],
  [/^receivedAt must be/, 'Waktu diterima tidak valid.'],
  [/no channel to send on/, 'Pelapor ini tidak punya kanal chat. Catat jawaban yang diberikan lewat telepon, surat atau LAPOR!.'],
  [/is not a LAPOR! report/, 'Tiket ini bukan laporan LAPOR!.'],
  [/has no answer yet/, 'Belum ada jawaban untuk disalin. Balas atau catat jawaban dulu.'],
];

/** The Indonesian text for an API error: a known message, else the code's text. */
export function errorText(code, message, status) {
  for (const [pattern, text] of ERROR_PATTERNS) {
    const m = pattern.exec(message ?? '');
    if (m) return typeof text === 'function' ? text(m) : text;
  }
  return ERROR_TEXTS[code] ?? (status >= 500 ? ERROR_TEXTS.INTERNAL : ERROR_TEXTS.BAD_REQUEST);
}

export class ApiError extends Error {
  /** `message` is Indonesian, for people; `detail` is the server's own message. */
  constructor(status, code, detail) {
    super(errorText(code, detail, status));
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

function toLogin() {
  const next = location.pathname + location.search;
  location.assign(`/dashboard/login?next=${encodeURIComponent(next)}`);
}

/** JSON API call; state-changing calls carry the CSRF token. A 401 sends the officer to the login page. */
export async function api(method, path, payload) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = state.csrfToken ?? '';
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, credentials: 'same-origin', body: payload === undefined ? undefined : JSON.stringify(payload) });
  if (response.status === 401) {
    toLogin();
    throw new ApiError(401, 'UNAUTHORIZED', 'session ended');
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data?.error?.code ?? 'ERROR', data?.error?.message ?? `HTTP ${response.status}`);
  return data;
}

/**
 * Creates an element. `props.text` sets textContent; other props are assigned as properties
 * (className, href, type, value, ...) or, for `data`, as data-* attributes. Children may be
 * nodes or strings; strings become text nodes, so they can never carry markup.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'data') for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'aria') for (const [k, v] of Object.entries(value)) node.setAttribute(`aria-${k}`, String(v));
    else if (/html/i.test(key)) throw new Error(`el(): ${key} would parse markup; use text`);
    else node[key] = value;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** Replaces a node's children, skipping null/false (replaceChildren would print them as "null"). */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
}

export const LABELS = {
  status: { open: 'Terbuka', pending: 'Menunggu pemohon', resolved: 'Selesai', closed: 'Ditutup' },
  kind: { complaint: 'Pengaduan', handoff: 'Minta petugas' },
  priority: { normal: 'Normal', high: 'Prioritas tinggi' },
  channel: { web: 'Web chat', telegram: 'Telegram', whatsapp: 'WhatsApp', instagram: 'Instagram', messenger: 'Messenger', email: 'E-mail', console: 'Konsol', offline: 'Tanpa kanal' },
  // #21: where a complaint came from (chat, or how staff received it).
  origin: { chat: 'Chat', desk: 'Loket', phone: 'Telepon', letter: 'Surat', lapor: 'LAPOR!', email: 'E-mail', other: 'Lainnya' },
  answeredVia: { phone: 'telepon', letter: 'surat', lapor: 'LAPOR!', in_person: 'tatap muka', email: 'e-mail' },
  // SERVQUAL's dimensions in the Indonesian terms of public-service surveys (as in the digest).
  servqual: { tangibles: 'Bukti fisik', reliability: 'Keandalan', responsiveness: 'Daya tanggap', assurance: 'Jaminan', empathy: 'Empati' },
  sla: { overdue: 'Terlambat', warning: 'Segera jatuh tempo', ok: 'Sesuai SLA' },
  timer: { first_response: 'Respons pertama', next_response: 'Respons berikutnya', resolution: 'Penyelesaian' },
  role: { staff: 'Petugas', supervisor: 'Pengawas', admin: 'Admin' },
  author: { applicant: 'Pemohon', bot: 'Bot', staff: 'Petugas', system: 'Sistem' },
  alert: {
    ticket_opened: 'Tiket baru',
    ticket_voice: 'Pesan suara',
    integrity_report: 'Laporan integritas',
    ticket_flood: 'Banjir tiket',
    alert_batch: 'Ringkasan',
    sla_warning: 'SLA segera jatuh tempo',
    sla_breach: 'SLA terlampaui',
    sla_supervisor: 'Eskalasi ke pengawas',
    channel_problem: 'Masalah kanal',
    csat_low: 'Penilaian rendah',
    digest: 'Ringkasan harian',
    holiday_calendar: 'Kalender libur',
    login_failures: 'Percobaan masuk gagal',
  },
};

/** "10.42" (today) or "3 Des 10.42": an office-time clock reading for the audit trail. */
export function formatClock(iso) {
  if (!iso) return '–';
  const at = new Date(iso);
  const day = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: state.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const sameDay = day(at) === day(new Date(serverNow()));
  const options = sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat('id-ID', { timeZone: state.timeZone, ...options }).format(at);
}

/** "baru saja", "5 mnt lalu", "2 jam lalu", "3 hari lalu": how old something is, by the server's clock. */
export function ago(iso, now = serverNow()) {
  if (!iso) return '';
  const minutes = Math.floor(Math.max(0, now - new Date(iso).getTime()) / 60000);
  if (minutes < 1) return 'baru saja';
  if (minutes < 60) return `${minutes} mnt lalu`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} jam lalu`;
  return `${Math.floor(hours / 24)} hari lalu`;
}

/** A staff member's name as people know it. */
export const personName = (ref) => (ref ? (ref.displayName ?? ref.username) : null);

export function badge(text, modifier) {
  return el('span', { className: `badge${modifier ? ` badge--${modifier}` : ''}`, text });
}

export function formatTime(iso) {
  if (!iso) return '–';
  return new Intl.DateTimeFormat('id-ID', { timeZone: state.timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** "dalam 1 jam 20 mnt" / "lewat 15 mnt" (wall-clock time; the badge says whether SLA business time is short). */
export function relative(iso, now = serverNow()) {
  if (!iso) return '';
  const diff = new Date(iso).getTime() - now;
  const minutes = Math.round(Math.abs(diff) / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const text = days > 0 ? `${days} hari ${hours} jam` : hours > 0 ? `${hours} jam ${mins} mnt` : `${mins} mnt`;
  return diff >= 0 ? `dalam ${text}` : `lewat ${text}`;
}

let toastTimer = null;
export function toast(message, kind = 'info') {
  let node = document.getElementById('toast');
  if (!node) {
    node = el('div', { id: 'toast', role: 'status' });
    document.body.append(node);
  }
  node.className = `toast${kind === 'error' ? ' toast--error' : ''}`;
  node.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  node.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => node.remove(), 4000);
}

export function reportError(err) {
  toast(err instanceof ApiError ? err.message : 'Terjadi kesalahan. Coba lagi.', 'error');
  if (!(err instanceof ApiError)) console.warn(err);
}

const RANK = { staff: 1, supervisor: 2, admin: 3 };
export const hasRole = (least) => state.user !== null && RANK[state.user.role] >= RANK[least];

const NAV = [
  { href: '/dashboard', label: 'Antrean', role: 'staff' },
  { href: '/dashboard/record', label: 'Catat aduan', role: 'staff' },
  { href: '/dashboard/knowledge', label: 'Pengetahuan', role: 'staff' },
  { href: '/dashboard/reports', label: 'Laporan', role: 'supervisor' },
  { href: '/dashboard/channels', label: 'Kanal', role: 'admin' },
  { href: '/dashboard/accounts', label: 'Akun', role: 'admin' },
  { href: '/dashboard/audit', label: 'Audit', role: 'admin' },
];

// --- notifications: opt-in, with a short sound made by WebAudio (no file to download) ----------

const NOTIFY_KEY = 'sapa.notify';
export const notifications = {
  get on() {
    return localStorage.getItem(NOTIFY_KEY) === 'on';
  },
};
let audio = null;

/** A short two-tone chime; `loud` (integrity report, SLA breach) rings three times, higher. */
export function chime(loud = false) {
  const Context = window.AudioContext ?? window.webkitAudioContext;
  if (!Context) return;
  audio ??= new Context();
  if (audio.state === 'suspended') void audio.resume();
  const start = audio.currentTime + 0.01;
  const tones = loud ? [880, 660, 880, 660, 880, 660] : [660, 880];
  tones.forEach((frequency, i) => {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    const at = start + i * 0.16;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.15);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.16);
  });
}

/** Rings and shows a browser notification, if the officer turned notifications on. */
export function notify(title, body, { loud = false, url } = {}) {
  if (!notifications.on) return;
  chime(loud);
  if ('Notification' in window && Notification.permission === 'granted') {
    const note = new Notification(title, { body, tag: url ?? title, lang: 'id' });
    note.addEventListener('click', () => {
      window.focus();
      if (url) location.assign(url);
    });
  }
}

function drawNotifyToggle() {
  const button = document.getElementById('notify');
  if (!button) return;
  const on = notifications.on;
  button.setAttribute('aria-pressed', String(on));
  button.textContent = on ? 'Notifikasi: nyala' : 'Notifikasi: mati';
}

async function toggleNotifications() {
  if (notifications.on) {
    localStorage.setItem(NOTIFY_KEY, 'off');
  } else {
    localStorage.setItem(NOTIFY_KEY, 'on');
    // The click is the user gesture browsers want for both the permission and the sound.
    if ('Notification' in window && Notification.permission === 'default') await Notification.requestPermission();
    chime(false);
    if ('Notification' in window && Notification.permission === 'denied') toast('Suara menyala. Notifikasi browser diblokir: izinkan di pengaturan situs.');
  }
  drawNotifyToggle();
}

// --- what waits: tab-title count and the alert link ------------------------------------------

let baseTitle = document.title;
export function setBaseTitle(title) {
  baseTitle = title;
  document.title = title;
  void refreshSummary();
}

let summaryBusy = false;
/** "(3) Antrean · SAPA": my tickets with unread messages + unseen alerts + take-over requests for me. */
export async function refreshSummary() {
  if (summaryBusy || !state.user) return;
  summaryBusy = true;
  try {
    const s = await api('GET', '/api/desk/summary');
    const total = s.unreadTickets + s.unseenAlerts + s.takeoverRequests;
    document.title = total > 0 ? `(${total}) ${baseTitle}` : baseTitle;
    const link = document.getElementById('alerts-link');
    if (link) {
      link.textContent = s.unseenAlerts > 0 ? `Peringatan (${s.unseenAlerts})` : 'Peringatan';
      link.classList.toggle('top__alerts--new', s.unseenAlerts > 0);
    }
    state.summary = s;
  } catch (err) {
    console.warn(err);
  } finally {
    summaryBusy = false;
  }
}

// --- keyboard shortcuts ---------------------------------------------------------------------

const shortcutHandlers = { next: null, previous: null };
/** The page's "next/previous ticket" (j/k, Alt+↓/↑). */
export function onTicketNavigation(next, previous) {
  shortcutHandlers.next = next;
  shortcutHandlers.previous = previous;
}

const typing = (target) => target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

function openHelp() {
  const dialog = document.getElementById('help');
  if (dialog && !dialog.open) dialog.showModal();
}

function onKey(event) {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey) return;
  const altArrow = event.altKey && (event.key === 'ArrowDown' || event.key === 'ArrowUp');
  if (typing(event.target) && !altArrow) return;
  if (document.getElementById('help')?.open) return;
  if (event.key === '?') {
    event.preventDefault();
    openHelp();
  } else if ((event.key === 'j' && !event.altKey) || (altArrow && event.key === 'ArrowDown')) {
    if (shortcutHandlers.next) {
      event.preventDefault();
      shortcutHandlers.next();
    }
  } else if ((event.key === 'k' && !event.altKey) || (altArrow && event.key === 'ArrowUp')) {
    if (shortcutHandlers.previous) {
      event.preventDefault();
      shortcutHandlers.previous();
    }
  }
}

/** Loads the session (user, CSRF token) and draws the header; every page starts here. */
export async function boot(active) {
  const session = await api('GET', '/api/session');
  state.user = session.user;
  state.csrfToken = session.csrfToken;
  state.timeZone = session.timeZone ?? state.timeZone;
  if (session.now) state.clockOffsetMs = Date.parse(session.now) - Date.now();
  const nav = document.getElementById('nav');
  nav.replaceChildren(
    ...NAV.filter((item) => hasRole(item.role)).map((item) =>
      el('a', { href: item.href, text: item.label, aria: item.href === active ? { current: 'page' } : {} }),
    ),
  );
  document.getElementById('user').textContent = `${session.user.displayName ?? session.user.username} · ${LABELS.role[session.user.role]}`;
  document.getElementById('logout').addEventListener('click', async () => {
    try {
      await api('DELETE', '/api/session');
    } finally {
      location.assign('/dashboard/login');
    }
  });
  document.getElementById('notify')?.addEventListener('click', () => void toggleNotifications());
  document.getElementById('help-open')?.addEventListener('click', openHelp);
  document.getElementById('help-close')?.addEventListener('click', () => document.getElementById('help').close());
  document.addEventListener('keydown', onKey);
  drawNotifyToggle();
  void refreshSummary();
  return session;
}

/** Loud alert kinds (integrity reports, SLA breaches): ring three times and always notify. */
export const LOUD_ALERTS = new Set(['integrity_report', 'sla_breach', 'sla_supervisor']);

/**
 * What rings: a new ticket, or an applicant's message on a ticket that is free or mine
 * (a colleague's tickets stay quiet), and every alert the feed receives.
 */
function ringFor(name, data) {
  const free = data.assigneeId === null || data.assigneeId === undefined || data.assigneeId === state.user?.id;
  if (name === 'ticket' && data.change === 'opened') notify(`Tiket baru #${data.ticketId}`, 'Pemohon menunggu jawaban.', { url: `/dashboard/tickets/${data.ticketId}` });
  // An applicant's message joins its ticket after routing: the ticket's "applicant_message" change says so.
  else if (((name === 'message' && data.inbound) || (name === 'ticket' && data.change === 'applicant_message')) && free) notify(`Pesan baru di tiket #${data.ticketId}`, 'Pemohon menulis lagi.', { url: `/dashboard/tickets/${data.ticketId}` });
  else if (name === 'alert' && LOUD_ALERTS.has(data.kind)) {
    notify(LABELS.alert[data.kind] ?? 'Peringatan', data.ticketId ? `Tiket #${data.ticketId}` : 'Lihat daftar peringatan.', { loud: true, url: data.ticketId ? `/dashboard/tickets/${data.ticketId}` : '/dashboard#alerts' });
  }
}

/**
 * Live updates: calls handlers[eventName](data); shows the connection state in the header.
 * handlers.connected() runs each time the stream opens: a page loads its data before the stream
 * is up (and a dropped stream reconnects), so what changed in between is read again then;
 * otherwise a receipt or a message that arrived in that gap would not show until the next event.
 */
export function live(handlers) {
  const indicator = document.getElementById('live');
  const source = new EventSource('/api/events');
  const setState = (on) => {
    indicator.className = `live ${on ? 'live--on' : 'live--off'}`;
    indicator.textContent = on ? 'Langsung' : 'Menyambung…';
  };
  source.addEventListener('open', () => {
    setState(true);
    handlers.connected?.();
  });
  source.addEventListener('error', () => setState(false));
  const summary = debounce(refreshSummary, 400);
  for (const name of ['ticket', 'message', 'alert']) {
    source.addEventListener(name, (event) => {
      const data = JSON.parse(event.data);
      ringFor(name, data);
      summary();
      handlers[name]?.(data);
    });
  }
  window.addEventListener('pagehide', () => source.close());
  // Back from the back/forward cache the stream is closed: load afresh (counts, cards, stream).
  window.addEventListener('pageshow', (event) => { if (event.persisted) location.reload(); });
  return source;
}

/** Runs `fn` at most once per `ms`, trailing (bursts of events cause one reload). */
export function debounce(fn, ms) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

/** Today's date (YYYY-MM-DD) in the office zone, by the server's clock. */
export function todayIn(timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(serverNow()));
}

export function addDays(dateKey, days) {
  const d = new Date(`${dateKey}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
