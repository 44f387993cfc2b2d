// Audit log page (admin): GET /api/audit, newest first, filtered, paged with "before" (the id of the last row shown).
import { LABELS, api, boot, el, formatTime, live, reportError } from './common.js';

const ACTIONS = {
  login: 'Masuk',
  login_failed: 'Gagal masuk',
  login_locked: 'Login dikunci (lama)',
  login_throttled: 'Login ditunda',
  logout: 'Keluar',
  staff_added: 'Akun ditambahkan',
  staff_disabled: 'Akun dinonaktifkan',
  staff_enabled: 'Akun diaktifkan kembali',
  staff_role_changed: 'Peran diubah',
  staff_unlocked: 'Penundaan login dilepas',
  staff_password_set: 'Kata sandi diganti',
  staff_linked: 'Akun ditautkan ke kanal',
  ticket_viewed: 'Tiket dibuka',
  tickets_exported: 'Ekspor tiket (CSV)',
  channel_action: 'Tindakan kanal',
};

const form = document.getElementById('audit-filter');
const body = document.querySelector('#audit tbody');
const more = document.getElementById('audit-more');
const status = document.getElementById('audit-status');
const field = (id) => document.getElementById(id);
let nextBefore = null;

const select = field('f-action');
for (const [value, label] of Object.entries(ACTIONS)) select.append(el('option', { value, text: label }));

/** Role changes, throttling and links in words; other data as "key: value". */
function details(entry) {
  const d = entry.data ?? {};
  if (entry.action === 'staff_role_changed') return `${LABELS.role[d.from] ?? d.from} → ${LABELS.role[d.to] ?? d.to}`;
  if (entry.action === 'login_throttled') return `tunggu ${Math.ceil((d.retryAfterMs ?? 0) / 1000)} dtk (${d.by === 'address' ? 'per alamat' : 'per nama pengguna'})`;
  if (d.sessionsEnded !== undefined) return `${d.sessionsEnded} sesi diakhiri`;
  return Object.entries(d)
    .filter(([key]) => key !== 'ticketId')
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

function row(entry) {
  const target = entry.action === 'ticket_viewed' && entry.data?.ticketId
    ? el('a', { href: `/dashboard/tickets/${entry.data.ticketId}`, text: entry.target ?? `#${entry.data.ticketId}` })
    : el('span', { text: entry.target ?? '–' });
  return el(
    'tr',
    {},
    el('td', { text: formatTime(entry.createdAt) }),
    el('td', { text: entry.username ?? '–' }),
    el('td', { text: ACTIONS[entry.action] ?? entry.action }),
    el('td', {}, target),
    el('td', { text: details(entry) }),
    el('td', { text: entry.ip ?? '–' }),
  );
}

function query(before) {
  const params = new URLSearchParams();
  for (const [key, id] of [['action', 'f-action'], ['username', 'f-username'], ['target', 'f-target'], ['from', 'f-from'], ['to', 'f-to']]) {
    const value = field(id).value.trim();
    if (value !== '') params.set(key, value);
  }
  params.set('limit', '50');
  if (before !== null) params.set('before', String(before));
  return params;
}

async function load(append) {
  try {
    const params = query(append ? nextBefore : null);
    const page = await api('GET', `/api/audit?${params}`);
    const rows = page.entries.map(row);
    if (append) body.append(...rows);
    else body.replaceChildren(...rows);
    nextBefore = page.nextBefore;
    more.hidden = nextBefore === null;
    const shown = body.children.length;
    status.textContent = shown === 0 ? 'Tidak ada entri yang cocok.' : `${shown} entri ditampilkan${nextBefore === null ? '' : '; masih ada yang lebih lama'}.`;
    if (!append) {
      params.delete('limit');
      history.replaceState(null, '', `${location.pathname}${params.size ? `?${params}` : ''}`);
    }
  } catch (err) {
    reportError(err);
  }
}

// Filters survive a reload (and can be linked to): ?action=...&username=...
const initial = new URLSearchParams(location.search);
for (const [key, id] of [['action', 'f-action'], ['username', 'f-username'], ['target', 'f-target'], ['from', 'f-from'], ['to', 'f-to']]) {
  if (initial.has(key)) field(id).value = initial.get(key);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void load(false);
});
more.addEventListener('click', () => void load(true));

await boot('/dashboard/audit');
await load(false);
live({});
