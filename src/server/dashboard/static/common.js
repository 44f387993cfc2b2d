// Shared by every dashboard page (loaded as an ES module; no inline script: CSP is script-src 'self').
// Rule: applicant text only ever reaches the page through textContent (see el()), never as markup.

export const state = { user: null, csrfToken: null, timeZone: 'Asia/Makassar', clockOffsetMs: 0 };

/** Now by the server's clock (GET /api/session says what it is): a wrong PC clock shows wrong ages otherwise. */
export function serverNow() {
  return Date.now() + state.clockOffsetMs;
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
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
    throw new ApiError(401, 'UNAUTHORIZED', 'Sesi berakhir, silakan masuk lagi.');
  }
  if (response.status === 204) return null;
  const data = await response.json();
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
  priority: { normal: 'Normal', high: 'Prioritas tinggi' },
  channel: { web: 'Web chat', telegram: 'Telegram', whatsapp: 'WhatsApp', instagram: 'Instagram', console: 'Konsol' },
  servqual: { tangibles: 'Tangibles', reliability: 'Reliability', responsiveness: 'Responsiveness', assurance: 'Assurance', empathy: 'Empathy' },
  sla: { overdue: 'Terlambat', warning: 'Segera jatuh tempo', ok: 'Sesuai SLA' },
  timer: { first_response: 'Respons pertama', next_response: 'Respons berikutnya', resolution: 'Penyelesaian' },
  role: { staff: 'Petugas', supervisor: 'Pengawas', admin: 'Admin' },
  author: { applicant: 'Pemohon', bot: 'Bot', staff: 'Petugas', system: 'Sistem' },
};

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
  { href: '/dashboard/knowledge', label: 'Pengetahuan', role: 'staff' },
  { href: '/dashboard/reports', label: 'Laporan', role: 'supervisor' },
  { href: '/dashboard/channels', label: 'Kanal', role: 'admin' },
  { href: '/dashboard/accounts', label: 'Akun', role: 'admin' },
];

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
  return session;
}

/** Live updates: calls handlers[eventName](data); shows the connection state in the header. */
export function live(handlers) {
  const indicator = document.getElementById('live');
  const source = new EventSource('/api/events');
  const setState = (on) => {
    indicator.className = `live ${on ? 'live--on' : 'live--off'}`;
    indicator.textContent = on ? 'Langsung' : 'Menyambung…';
  };
  source.addEventListener('open', () => setState(true));
  source.addEventListener('error', () => setState(false));
  for (const [name, handler] of Object.entries(handlers)) {
    source.addEventListener(name, (event) => handler(JSON.parse(event.data)));
  }
  window.addEventListener('pagehide', () => source.close());
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
