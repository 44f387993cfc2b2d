// Queue page: open tickets, nearest SLA due first; search and filters in the URL; unread markers,
// last message and its age on each card; the alert feed and take-over requests; live via SSE.
import {
  LABELS, LOUD_ALERTS, ago, api, badge, boot, debounce, el, formatTime, live, onTicketNavigation, personName, refreshSummary, relative, reportError, state, toast,
} from './common.js';

const list = document.getElementById('tickets');
const count = document.getElementById('count');
const selects = { status: document.getElementById('f-status'), channel: document.getElementById('f-channel'), priority: document.getElementById('f-priority') };
const chips = [...document.querySelectorAll('[data-assignee]')];
const search = document.getElementById('q');

const params = new URLSearchParams(location.search);
const filters = {
  q: params.get('q') ?? '',
  assignee: params.get('assignee') ?? '',
  status: params.get('status') ?? (params.get('q') ? '' : 'active'),
  channel: params.get('channel') ?? '',
  priority: params.get('priority') ?? '',
};

function syncControls() {
  for (const chip of chips) chip.setAttribute('aria-pressed', String(chip.dataset.assignee === filters.assignee));
  for (const [key, select] of Object.entries(selects)) select.value = filters[key] || (key === 'status' ? 'all' : '');
  search.value = filters.q;
}

function query() {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) q.set(key, value);
  return q.toString();
}

const WHO = { applicant: 'Pemohon', bot: 'Bot', staff: 'Petugas', system: 'Sistem' };

function card(ticket) {
  const sla = ticket.sla.state;
  const readOnly = ticket.access === 'read';
  const holder = personName(ticket.assignee);
  const head = el(
    'div',
    { className: 'card__head' },
    el('span', { className: 'card__ref', text: ticket.ref }),
    ticket.unread > 0 ? el('span', { className: 'badge badge--unread', text: `${ticket.unread} baru`, aria: { label: `${ticket.unread} pesan belum dibaca` } }) : null,
    sla === 'overdue' || sla === 'warning' ? badge(LABELS.sla[sla], sla) : null,
    ticket.priority === 'high' ? badge(LABELS.priority.high, 'high') : null,
    badge(LABELS.channel[ticket.channel] ?? ticket.channel, 'channel'),
    // #21: a complaint recorded from outside the chat, with its LAPOR! number.
    ticket.origin && ticket.origin !== 'chat' ? badge(ticket.laporTrackingId ? `LAPOR! ${ticket.laporTrackingId}` : LABELS.origin[ticket.origin] ?? ticket.origin, 'channel') : null,
    badge(LABELS.status[ticket.status] ?? ticket.status, 'status'),
    readOnly ? badge('Hanya lihat', 'readonly') : null,
  );
  const due = ticket.sla.nextDueAt ? `Jatuh tempo ${formatTime(ticket.sla.nextDueAt)} (${relative(ticket.sla.nextDueAt)})` : null;
  const last = ticket.lastMessage;
  const meta = el(
    'div',
    { className: 'card__meta' },
    el('span', { text: ticket.contactName ?? 'Pemohon' }),
    el('span', { text: `${LABELS.kind[ticket.kind] ?? ticket.kind} · ${ticket.intentLabel ?? ticket.intent}` }),
    el('span', { text: holder ? `Ditangani ${holder}` : 'Belum diambil' }),
    due ? el('span', { text: due }) : null,
  );
  return el(
    'li',
    {
      className: `card${sla === 'overdue' || sla === 'warning' ? ` card--${sla}` : ''}${ticket.unread > 0 ? ' card--unread' : ''}${readOnly ? ' card--readonly' : ''}`,
      data: { ticketId: ticket.id },
    },
    el(
      'a',
      { className: 'card__link', href: `/dashboard/tickets/${ticket.id}` },
      head,
      el('p', { className: 'card__summary', text: ticket.summary }),
      last
        ? el(
            'p',
            { className: 'card__last' },
            el('span', { className: 'card__who', text: `${WHO[last.author] ?? last.author}: ` }),
            el('span', { className: 'card__excerpt', text: last.text }),
            el('time', { className: 'card__age', dateTime: last.at, title: formatTime(last.at), text: ` · ${ago(last.at)}` }),
          )
        : null,
      meta,
    ),
  );
}

let shown = [];

async function load() {
  try {
    const { tickets } = await api('GET', `/api/tickets?${query()}`);
    shown = tickets.map((t) => t.id);
    // The ticket page's j/k walk this list in this order.
    sessionStorage.setItem('sapa.queue', JSON.stringify({ query: query(), ids: shown }));
    list.replaceChildren(...(tickets.length ? tickets.map(card) : [el('li', { className: 'empty', text: filters.q ? `Tidak ada tiket yang cocok dengan "${filters.q}".` : 'Tidak ada tiket untuk filter ini.' })]));
    count.textContent = `${tickets.length} tiket${filters.q ? ` untuk "${filters.q}"` : ''}`;
  } catch (err) {
    reportError(err);
  }
}

function changed() {
  history.replaceState(null, '', `${location.pathname}${query() ? `?${query()}` : ''}${location.hash}`);
  syncControls();
  void load();
}

for (const chip of chips) chip.addEventListener('click', () => { filters.assignee = chip.dataset.assignee; changed(); });
for (const [key, select] of Object.entries(selects)) select.addEventListener('change', () => { filters[key] = select.value; changed(); });
document.getElementById('search').addEventListener('submit', (event) => {
  event.preventDefault();
  filters.q = search.value.trim();
  // A search looks in every status (a resolved complaint is found too) unless one is chosen.
  if (filters.q && filters.status === 'active') filters.status = '';
  if (!filters.q && !filters.status) filters.status = 'active';
  changed();
});
search.addEventListener('search', () => { if (search.value === '' && filters.q) { filters.q = ''; filters.status = 'active'; changed(); } });

// --- keyboard: j/k (Alt+↓/↑) move between cards, Enter opens --------------------------------

function moveFocus(step) {
  const links = [...list.querySelectorAll('a.card__link')];
  if (links.length === 0) return;
  const at = links.indexOf(document.activeElement);
  const next = at === -1 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step));
  links[next].focus();
  links[next].scrollIntoView({ block: 'nearest' });
}
onTicketNavigation(() => moveFocus(1), () => moveFocus(-1));

// --- the alert feed --------------------------------------------------------------------------

const alertList = document.getElementById('alert-list');
const seenList = document.getElementById('alert-seen-list');
const seenAll = document.getElementById('alerts-seen-all');

function alertItem(alert) {
  const loud = LOUD_ALERTS.has(alert.kind);
  return el(
    'li',
    { className: `feed__item${loud ? ' feed__item--loud' : ''}${alert.seen ? '' : ' feed__item--new'}`, data: { alertId: alert.id, kind: alert.kind } },
    el(
      'div',
      { className: 'feed__meta' },
      el('strong', { text: LABELS.alert[alert.kind] ?? alert.kind }),
      el('time', { dateTime: alert.createdAt, text: `${formatTime(alert.createdAt)} · ${ago(alert.createdAt)}` }),
      alert.ticketId ? el('a', { href: `/dashboard/tickets/${alert.ticketId}`, text: `Buka tiket #${alert.ticketId}` }) : null,
    ),
    el('p', { className: 'feed__text', text: alert.text }),
    alert.seen ? null : el('button', { type: 'button', className: 'feed__seen', text: 'Sudah dilihat', aria: { label: `Tandai peringatan ${LABELS.alert[alert.kind] ?? alert.kind} sudah dilihat` }, onclick: () => markSeen({ ids: [alert.id] }) }),
  );
}

async function loadAlerts() {
  try {
    const { alerts } = await api('GET', '/api/alerts?limit=50');
    const fresh = alerts.filter((a) => !a.seen);
    alertList.replaceChildren(...(fresh.length ? fresh.map(alertItem) : [el('li', { className: 'feed__empty', text: 'Tidak ada peringatan baru.' })]));
    seenList.replaceChildren(...alerts.filter((a) => a.seen).slice(0, 20).map(alertItem));
    seenAll.classList.toggle('hidden', fresh.length < 2);
  } catch (err) {
    reportError(err);
  }
}

async function markSeen(payload) {
  try {
    await api('POST', '/api/alerts/seen', payload);
    await loadAlerts();
    await refreshSummary();
  } catch (err) {
    reportError(err);
  }
}
seenAll.addEventListener('click', () => markSeen({ all: true }));

// --- take-over requests waiting for me ------------------------------------------------------

async function loadTakeovers() {
  try {
    const { requests } = await api('GET', '/api/takeover-requests');
    const mine = requests.filter((r) => r.requesterId !== state.user.id);
    document.getElementById('takeovers').classList.toggle('hidden', mine.length === 0);
    document.getElementById('takeover-list').replaceChildren(
      ...mine.map((r) =>
        el(
          'li',
          { className: 'feed__item feed__item--new', data: { requestId: r.id } },
          el('p', { className: 'feed__text' }, `${r.requester} meminta mengambil alih `, el('a', { href: `/dashboard/tickets/${r.ticketId}`, text: `tiket ${r.ref}` }), r.holder ? ` (dipegang ${r.holder})` : '', r.note ? `: “${r.note}”` : ''),
          el(
            'div',
            { className: 'actions' },
            el('button', { type: 'button', className: 'primary', text: 'Setujui', onclick: () => decide(r, 'accept') }),
            el('button', { type: 'button', text: 'Tolak', onclick: () => decide(r, 'decline') }),
          ),
        ),
      ),
    );
  } catch (err) {
    reportError(err);
  }
}

async function decide(request, verdict) {
  try {
    await api('POST', `/api/takeover-requests/${request.id}/${verdict}`);
    toast(verdict === 'accept' ? `Tiket ${request.ref} dialihkan ke ${request.requester}.` : 'Permintaan ditolak.');
    await Promise.all([loadTakeovers(), load()]);
  } catch (err) {
    reportError(err);
  }
}

await boot('/dashboard');
syncControls();
await Promise.all([load(), loadAlerts(), loadTakeovers()]);
if (location.hash === '#alerts') document.getElementById('alerts').focus();
const reload = debounce(load, 250);
const reloadTakeovers = debounce(loadTakeovers, 250);
live({
  ticket: (event) => {
    reload();
    if (String(event.change).startsWith('takeover')) reloadTakeovers();
  },
  message: reload,
  alert: debounce(loadAlerts, 250),
});
// Due-time texts ("dalam 20 m") and ages ("5 mnt lalu") change: refresh each minute even when nothing happens.
setInterval(() => { void load(); void loadAlerts(); }, 60_000);
