// Queue page: open tickets, nearest SLA due first; filters in the URL; live via server-sent events.
import { LABELS, api, badge, boot, debounce, el, formatTime, live, relative, reportError } from './common.js';

const list = document.getElementById('tickets');
const count = document.getElementById('count');
const selects = { status: document.getElementById('f-status'), channel: document.getElementById('f-channel'), priority: document.getElementById('f-priority') };
const chips = [...document.querySelectorAll('[data-assignee]')];

const params = new URLSearchParams(location.search);
const filters = {
  assignee: params.get('assignee') ?? '',
  status: params.get('status') ?? 'active',
  channel: params.get('channel') ?? '',
  priority: params.get('priority') ?? '',
};

function syncControls() {
  for (const chip of chips) chip.setAttribute('aria-pressed', String(chip.dataset.assignee === filters.assignee));
  for (const [key, select] of Object.entries(selects)) select.value = filters[key];
}

function query() {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) q.set(key, value);
  return q.toString();
}

function card(ticket) {
  const sla = ticket.sla.state;
  const head = el(
    'div',
    { className: 'card__head' },
    el('span', { className: 'card__ref', text: ticket.ref }),
    sla === 'overdue' || sla === 'warning' ? badge(LABELS.sla[sla], sla) : null,
    ticket.priority === 'high' ? badge(LABELS.priority.high, 'high') : null,
    badge(LABELS.channel[ticket.channel] ?? ticket.channel, 'channel'),
    badge(LABELS.status[ticket.status] ?? ticket.status, 'status'),
  );
  const due = ticket.sla.nextDueAt ? `Jatuh tempo ${formatTime(ticket.sla.nextDueAt)} (${relative(ticket.sla.nextDueAt)})` : null;
  const meta = el(
    'div',
    { className: 'card__meta' },
    el('span', { text: ticket.contactName ?? 'Pemohon' }),
    el('span', { text: `Topik: ${ticket.intent}` }),
    el('span', { text: ticket.assignee ? `Ditangani ${ticket.assignee.displayName ?? ticket.assignee.username}` : 'Belum diambil' }),
    due ? el('span', { text: due }) : null,
  );
  return el(
    'li',
    { className: `card${sla === 'overdue' || sla === 'warning' ? ` card--${sla}` : ''}`, data: { ticketId: ticket.id } },
    el('a', { className: 'card__link', href: `/dashboard/tickets/${ticket.id}` }, head, el('p', { className: 'card__summary', text: ticket.summary }), meta),
  );
}

async function load() {
  try {
    const { tickets } = await api('GET', `/api/tickets?${query()}`);
    list.replaceChildren(...(tickets.length ? tickets.map(card) : [el('li', { className: 'empty', text: 'Tidak ada tiket untuk filter ini.' })]));
    count.textContent = `${tickets.length} tiket`;
  } catch (err) {
    reportError(err);
  }
}

function changed() {
  history.replaceState(null, '', `${location.pathname}${query() ? `?${query()}` : ''}`);
  syncControls();
  void load();
}

for (const chip of chips) chip.addEventListener('click', () => { filters.assignee = chip.dataset.assignee; changed(); });
for (const [key, select] of Object.entries(selects)) select.addEventListener('change', () => { filters[key] = select.value; changed(); });

await boot('/dashboard');
syncControls();
await load();
const reload = debounce(load, 250);
live({ ticket: reload });
// Due-time texts ("dalam 20 m") and badges age: refresh each minute even when nothing happens.
setInterval(load, 60_000);
