// Ticket page: the applicant's whole history across channels, actions, reply with canned answers, SLA timers.
import { LABELS, api, badge, boot, debounce, el, fill, formatTime, hasRole, live, relative, reportError, state, toast } from './common.js';

const ticketId = Number(location.pathname.split('/').pop());
const $ = (id) => document.getElementById(id);
let current = null;
let cannedLoaded = null;

function renderHead(ticket, contact) {
  fill(
    $('head'),
    el('span', { className: 'card__ref', text: `Tiket ${ticket.ref}` }),
    badge(LABELS.status[ticket.status] ?? ticket.status, 'status'),
    ticket.sla.state === 'overdue' || ticket.sla.state === 'warning' ? badge(LABELS.sla[ticket.sla.state], ticket.sla.state) : null,
    ticket.priority === 'high' ? badge(LABELS.priority.high, 'high') : null,
    badge(LABELS.channel[ticket.channel] ?? ticket.channel, 'channel'),
    ticket.integrity ? badge('Integritas', 'overdue') : null,
  );
  $('summary').textContent = ticket.summary;
  fill(
    $('meta'),
    el('span', { text: contact.displayName ?? 'Pemohon' }),
    el('span', { text: `Kanal: ${contact.channels.map((c) => LABELS.channel[c] ?? c).join(', ')}` }),
    el('span', { text: `Topik: ${ticket.intent}` }),
    el('span', { text: `Dibuka ${formatTime(ticket.createdAt)}` }),
    el('span', { id: 'assignee', text: ticket.assignee ? `Ditangani ${ticket.assignee.displayName ?? ticket.assignee.username}` : 'Belum diambil' }),
  );
  document.title = `Tiket ${ticket.ref} · SAPA`;
}

function renderTimers(ticket) {
  const rows = ticket.sla.timers.map((t) =>
    el('li', {}, el('span', { text: LABELS.timer[t.timer] ?? t.timer }), el('span', { text: `${formatTime(t.dueAt)} · ${relative(t.dueAt)}` }), badge(LABELS.sla[t.state], t.state)),
  );
  if (ticket.firstResponseAt) rows.unshift(el('li', {}, el('span', { text: 'Respons pertama' }), el('span', { text: `terpenuhi ${formatTime(ticket.firstResponseAt)}` })));
  if (rows.length === 0) rows.push(el('li', { text: 'Tidak ada waktu SLA yang berjalan.' }));
  $('timers').replaceChildren(...rows);
}

function renderHistory(messages, hidden = 0) {
  $('history').replaceChildren(
    // Messages of tickets a colleague holds are not sent to this officer (ticket-access.ts).
    ...(hidden > 0 ? [el('li', { className: 'msg__meta', text: `${hidden} pesan lain dari pemohon ini ada di tiket petugas lain dan tidak ditampilkan.` })] : []),
    ...messages.map((m) => {
      const kind = m.visibility === 'internal' ? 'internal' : m.direction;
      const who = m.visibility === 'internal' ? `Catatan internal · ${m.staff ?? 'sistem'}` : m.author === 'staff' && m.staff ? `Petugas ${m.staff}` : (LABELS.author[m.author] ?? m.author);
      return el(
        'li',
        { className: `msg msg--${kind}`, data: { messageId: m.id } },
        el('div', { className: 'msg__meta' }, el('span', { text: who }), el('span', { text: LABELS.channel[m.channel] ?? m.channel }), el('span', { text: formatTime(m.createdAt) }), m.ticketId && m.ticketId !== ticketId ? el('span', { text: `tiket #${m.ticketId}` }) : null),
        el('div', { className: 'msg__text', text: m.text }),
        m.deliveryStatus === 'failed' ? el('div', { className: 'msg__failed', text: `Gagal terkirim: ${m.deliveryError ?? ''}` }) : null,
        m.deliveryStatus === 'queued' ? el('div', { className: 'msg__meta', text: 'Menunggu terkirim…' }) : null,
      );
    }),
  );
}

function renderEvents(events) {
  $('events').replaceChildren(
    ...events.map((e) => el('li', {}, el('span', { text: `${e.type}${e.staff ? ` · ${e.staff}` : ''}` }), el('span', { text: formatTime(e.at) }))),
  );
}

function renderActions(ticket) {
  const mine = ticket.assignee?.id === state.user.id;
  const active = ticket.status === 'open' || ticket.status === 'pending';
  $('claim').classList.toggle('hidden', mine || ticket.status === 'closed');
  $('claim').textContent = ticket.assignee && !mine ? 'Ambil alih' : 'Ambil tiket';
  $('release').classList.toggle('hidden', !ticket.assignee || (!mine && !hasRole('supervisor')));
  $('pending').classList.toggle('hidden', ticket.status !== 'open');
  $('resolve').classList.toggle('hidden', !active);
  $('close').classList.toggle('hidden', ticket.status === 'closed');
  $('reopen').classList.toggle('hidden', active);
  $('composer').classList.toggle('hidden', ticket.status === 'closed');
  $('priority').value = ticket.priority;
  $('servqual').value = ticket.servqual;
}

async function loadCanned(language) {
  if (cannedLoaded === language) return;
  cannedLoaded = language;
  const { answers } = await api('GET', `/api/canned?language=${encodeURIComponent(language)}`);
  $('canned').replaceChildren(el('option', { value: '', text: 'Jawaban siap pakai…' }), ...answers.map((a) => el('option', { value: a.intent, text: a.label, data: { text: a.text } })));
}

async function load() {
  try {
    const data = await api('GET', `/api/tickets/${ticketId}`);
    current = data.ticket;
    renderHead(data.ticket, data.contact);
    renderTimers(data.ticket);
    renderHistory(data.messages, data.hiddenMessages ?? 0);
    renderEvents(data.events);
    renderActions(data.ticket);
    await loadCanned(data.ticket.language ?? 'id');
  } catch (err) {
    reportError(err);
  }
}

async function act(path, payload, done) {
  try {
    await api('POST', `/api/tickets/${ticketId}/${path}`, payload);
    if (done) toast(done);
    await load();
  } catch (err) {
    reportError(err);
  }
}

$('claim').addEventListener('click', () => act('claim', undefined, 'Tiket diambil.'));
$('release').addEventListener('click', () => act('release', undefined, 'Tiket dilepas.'));
$('pending').addEventListener('click', () => act('pending', undefined, 'Menunggu jawaban pemohon.'));
$('resolve').addEventListener('click', () => act('resolve', undefined, 'Tiket diselesaikan.'));
$('close').addEventListener('click', () => act('close', undefined, 'Tiket ditutup.'));
$('reopen').addEventListener('click', () => act('reopen', undefined, 'Tiket dibuka lagi.'));

for (const field of ['priority', 'servqual']) {
  $(field).addEventListener('change', async () => {
    try {
      await api('PATCH', `/api/tickets/${ticketId}`, { [field]: $(field).value });
      toast('Perubahan disimpan.');
      await load();
    } catch (err) {
      reportError(err);
    }
  });
}

$('canned').addEventListener('change', () => {
  const option = $('canned').selectedOptions[0];
  if (option?.dataset.text) $('reply-text').value = option.dataset.text;
});

$('internal').addEventListener('change', () => {
  $('send').textContent = $('internal').checked ? 'Simpan catatan' : 'Kirim balasan';
});

$('send').addEventListener('click', async () => {
  const text = $('reply-text').value.trim();
  if (!text) return toast('Tulis balasan dulu.', 'error');
  $('send').disabled = true;
  try {
    await api('POST', `/api/tickets/${ticketId}/messages`, { text, internal: $('internal').checked });
    $('reply-text').value = '';
    $('canned').value = '';
    toast($('internal').checked ? 'Catatan disimpan.' : 'Balasan dikirim.');
    await load();
  } catch (err) {
    reportError(err);
  } finally {
    $('send').disabled = false;
  }
});

await boot('/dashboard');
await load();
const reload = debounce(load, 250);
live({
  ticket: (event) => { if (event.ticketId === ticketId) reload(); },
  message: (event) => { if (event.ticketId === ticketId || current?.id === event.ticketId) reload(); },
});
