// Ticket page: the applicant's history across channels, actions, the composer (canned answers by "/" or
// the list, inserted at the cursor; Ctrl/Cmd+Enter sends; internal notes look different), SLA timers,
// the contact panel, a readable audit trail, and the read-only view of a colleague's ticket.
import {
  LABELS, api, badge, boot, debounce, el, fill, formatClock, formatTime, hasRole, live, onTicketNavigation, personName, refreshSummary, relative, reportError, setBaseTitle, state, toast,
} from './common.js';

const ticketId = Number(location.pathname.split('/').pop());
const $ = (id) => document.getElementById(id);
let current = null;
let access = 'full';
let canned = [];
let cannedLoaded = null;
let colleagues = null;

// --- head, timers, history --------------------------------------------------------------------

function renderHead(ticket, contact) {
  fill(
    $('head'),
    el('span', { className: 'card__ref', text: `Tiket ${ticket.ref}` }),
    badge(LABELS.status[ticket.status] ?? ticket.status, 'status'),
    ticket.sla.state === 'overdue' || ticket.sla.state === 'warning' ? badge(LABELS.sla[ticket.sla.state], ticket.sla.state) : null,
    ticket.priority === 'high' ? badge(LABELS.priority.high, 'high') : null,
    badge(LABELS.channel[ticket.channel] ?? ticket.channel, 'channel'),
    // #21: a complaint recorded from outside the chat, and its LAPOR! number.
    ticket.origin && ticket.origin !== 'chat' ? badge(`Asal: ${LABELS.origin[ticket.origin] ?? ticket.origin}`, 'channel') : null,
    ticket.laporTrackingId ? badge(`No. LAPOR! ${ticket.laporTrackingId}`, 'channel') : null,
    ticket.integrity ? badge('Integritas', 'overdue') : null,
    access === 'read' ? badge('Hanya lihat', 'readonly') : null,
  );
  $('summary').textContent = ticket.summary;
  fill(
    $('meta'),
    el('span', { text: contact.displayName ?? 'Pemohon' }),
    el('span', { text: `Kanal: ${contact.channels.map((c) => LABELS.channel[c] ?? c).join(', ')}` }),
    el('span', { text: `${LABELS.kind[ticket.kind] ?? ticket.kind} · ${ticket.intentLabel ?? ticket.intent}` }),
    el('span', { text: `Dibuka ${formatTime(ticket.createdAt)}` }),
    el('span', { id: 'assignee', text: ticket.assignee ? `Ditangani ${personName(ticket.assignee)}` : 'Belum diambil' }),
  );
  $('title').textContent = `Tiket ${ticket.ref}`;
  setBaseTitle(`Tiket ${ticket.ref} · SAPA`);
}

function renderTimers(ticket) {
  const rows = ticket.sla.timers.map((t) =>
    el('li', {}, el('span', { text: LABELS.timer[t.timer] ?? t.timer }), el('span', { text: `${formatTime(t.dueAt)} · ${relative(t.dueAt)}` }), badge(LABELS.sla[t.state], t.state)),
  );
  if (ticket.firstResponseAt) rows.unshift(el('li', {}, el('span', { text: 'Respons pertama' }), el('span', { text: `terpenuhi ${formatTime(ticket.firstResponseAt)}` })));
  if (rows.length === 0) rows.push(el('li', { text: 'Tidak ada waktu SLA yang berjalan.' }));
  $('timers').replaceChildren(...rows);
}

// Messenger/Instagram: Meta lets a reply go only 24 hours after the applicant's last message (7 days for an
// officer with the HUMAN_AGENT tag); one line under the timers says how long is left (GET /api/tickets/:id).
function renderChannelWindow(win) {
  if (!win) return;
  const now = Date.parse(win.now);
  const open = (at) => at && Date.parse(at) > now;
  const text = !win.closesAt
    ? 'Pemohon belum pernah menulis lewat kanal ini: balasan tidak bisa dikirim.'
    : open(win.closesAt)
      ? `bisa dibalas sampai ${formatTime(win.closesAt)} (${relative(win.closesAt, now)})`
      : open(win.tagClosesAt)
        ? `lewat 24 jam; balasan petugas (tag HUMAN_AGENT) sampai ${formatTime(win.tagClosesAt)} (${relative(win.tagClosesAt, now)})`
        : 'tertutup: balasan baru terkirim setelah pemohon menulis lagi';
  const state = open(win.closesAt) ? 'ok' : open(win.tagClosesAt) ? 'warning' : 'overdue';
  $('timers').append(el('li', { data: { window: state } }, el('span', { text: 'Jendela balasan Meta' }), el('span', { text }), badge(state === 'ok' ? 'Terbuka' : state === 'warning' ? 'Tag saja' : 'Tertutup', state)));
}

// Photos and voice notes from applicants who cannot type (#22): shown and played here.
const ATTACHMENT_LABEL = { sticker: 'Stiker', location: 'Lokasi', contact: 'Kontak', video: 'Video', link: 'Tautan', other: 'Lampiran' };
const minutes = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

function renderAttachment(a) {
  const label =
    a.display === 'audio' || a.kind === 'voice' || a.kind === 'audio'
      ? `Pesan suara${a.durationSeconds != null ? ` ${minutes(a.durationSeconds)}` : ''}`
      : a.display === 'image'
        ? 'Foto'
        : a.display === 'file'
          ? (a.fileName ?? 'Berkas')
          : (ATTACHMENT_LABEL[a.kind] ?? 'Lampiran');
  if (a.url === null) {
    const why =
      a.unavailable === 'read_only'
        ? 'hanya untuk pemegang tiket'
        : a.unavailable === 'not_kept'
          ? 'tidak tersimpan (terlalu besar, jenisnya ditolak, gagal diunduh, atau sudah dihapus sesuai masa simpan)'
          : null;
    return el('li', { className: 'msg__file msg__file--missing', text: why ? `${label}: ${why}` : `[${label}]` });
  }
  if (a.display === 'audio') {
    return el(
      'li',
      { className: 'msg__file' },
      el('span', { className: 'msg__file-label', text: label }),
      el('audio', { controls: true, preload: 'metadata', src: a.url, aria: { label: `${label} dari pemohon` } }),
      el('a', { href: a.url, download: a.fileName ?? '', text: 'Unduh' }),
    );
  }
  if (a.display === 'image') {
    return el(
      'li',
      { className: 'msg__file' },
      el('a', { href: a.url, target: '_blank', rel: 'noopener' }, el('img', { className: 'msg__image', src: a.url, alt: 'Foto dari pemohon (buka ukuran penuh)', loading: 'lazy' })),
    );
  }
  return el('li', { className: 'msg__file' }, el('a', { href: a.url, download: a.fileName ?? '', text: `Unduh ${label}` }));
}

/**
 * What the provider reported of an outgoing message (Meta's delivery and read receipts, and any channel that has
 * them): "Terkirim 10.02 · Dibaca 10.05" in office time. Only what was reported is said; no receipt, no line.
 */
function receiptLine(m) {
  if (m.direction !== 'out' || m.visibility !== 'public' || (!m.deliveredAt && !m.readAt)) return null;
  const parts = [];
  if (m.deliveredAt) parts.push(el('span', {}, 'Terkirim ', el('time', { dateTime: m.deliveredAt, text: formatClock(m.deliveredAt) })));
  if (m.readAt) parts.push(el('span', {}, 'Dibaca ', el('time', { dateTime: m.readAt, text: formatClock(m.readAt) })));
  return el('div', { className: `msg__receipt${m.readAt ? ' msg__receipt--read' : ''}` }, ...parts.flatMap((p, i) => (i > 0 ? [' · ', p] : [p])));
}

function renderHistory(messages, hidden = 0) {
  const note =
    hidden > 0
      ? access === 'read'
        ? `${hidden} catatan internal atau pesan tiket lain tidak ditampilkan (hanya untuk pemegang tiket).`
        : `${hidden} pesan lain dari pemohon ini ada di tiket petugas lain dan tidak ditampilkan.`
      : null;
  $('history').replaceChildren(
    ...(note ? [el('li', { className: 'msg__meta', text: note })] : []),
    ...messages.map((m) => {
      const kind = m.visibility === 'internal' ? 'internal' : m.direction;
      const who =
        m.visibility === 'internal'
          ? `Catatan internal · ${m.staffName ?? 'sistem'}`
          : m.author === 'staff' && m.staffName
            ? `Petugas ${m.staffName}`
            : (LABELS.author[m.author] ?? m.author);
      return el(
        'li',
        { className: `msg msg--${kind}`, data: { messageId: m.id } },
        el(
          'div',
          { className: 'msg__meta' },
          el('span', { className: 'msg__who', text: who }),
          el('span', { text: LABELS.channel[m.channel] ?? m.channel }),
          el('time', { dateTime: m.createdAt, text: formatTime(m.createdAt) }),
          m.ticketId && m.ticketId !== ticketId ? el('a', { href: `/dashboard/tickets/${m.ticketId}`, text: `tiket #${m.ticketId}` }) : null,
          m.masked ? el('span', { text: 'data pribadi disamarkan' }) : null,
          m.answeredVia ? el('span', { text: `dijawab di luar SAPA · ${LABELS.answeredVia[m.answeredVia] ?? m.answeredVia}` }) : null,
        ),
        m.text !== '' ? el('div', { className: 'msg__text', text: m.text }) : null,
        m.attachments?.length ? el('ul', { className: 'msg__files' }, ...m.attachments.map(renderAttachment)) : null,
        m.deliveryStatus === 'failed' ? el('div', { className: 'msg__failed', text: `Gagal terkirim: ${m.deliveryError ?? ''}` }) : null,
        m.deliveryStatus === 'queued' ? el('div', { className: 'msg__meta', text: 'Menunggu terkirim…' }) : null,
        receiptLine(m),
      );
    }),
  );
}

// --- the audit trail in words ----------------------------------------------------------------

const byWhom = (e) => (e.staffName ? ` oleh ${e.staffName}` : e.actor === 'applicant' ? ' oleh pemohon' : e.actor === 'bot' ? ' oleh bot' : e.actor === 'system' ? ' oleh sistem' : '');
const SERVQUAL_ID = { tangibles: 'bukti fisik', reliability: 'keandalan', responsiveness: 'daya tanggap', assurance: 'jaminan', empathy: 'empati' };

/** "Status: Terbuka → Selesai oleh Budi" (the time is shown beside it). */
function describeEvent(e) {
  const d = e.data ?? {};
  switch (e.type) {
    case 'opened':
      return `Tiket dibuka (${LABELS.kind[d.kind] ?? 'tiket'}${d.priority === 'high' ? ', prioritas tinggi' : ''})${byWhom(e)}`;
    case 'status':
      return `Status: ${LABELS.status[d.from] ?? d.from} → ${LABELS.status[d.to] ?? d.to}${byWhom(e)}`;
    case 'claimed':
      return `Diambil${byWhom(e)}${e.fromStaff ? ` (sebelumnya ${e.fromStaff})` : ''}`;
    case 'released':
      return `Dilepas${byWhom(e)}`;
    case 'assigned':
      return `Dialihkan ke ${e.toStaff ?? 'petugas lain'}${byWhom(e)}`;
    case 'staff_reply':
      return `Balasan dikirim${byWhom(e)}`;
    case 'note':
      return `Catatan internal${byWhom(e)}`;
    case 'applicant_message':
      return 'Pemohon menulis lagi';
    case 'priority':
      return `Prioritas: ${d.from === 'high' ? 'tinggi' : 'normal'} → ${d.to === 'high' ? 'tinggi' : 'normal'}${byWhom(e)}`;
    case 'servqual':
      return `Dimensi layanan: ${SERVQUAL_ID[d.from] ?? d.from} → ${SERVQUAL_ID[d.to] ?? d.to}${byWhom(e)}`;
    case 'integrity_flagged':
      return `Ditandai laporan integritas${byWhom(e)}`;
    case 'takeover_requested':
      return `Permintaan ambil alih${byWhom(e)}`;
    case 'takeover_accepted':
      return `Ambil alih disetujui${byWhom(e)}`;
    case 'takeover_declined':
      return `Ambil alih ditolak${byWhom(e)}`;
    case 'takeover_withdrawn':
      return `Permintaan ambil alih dibatalkan${byWhom(e)}`;
    default:
      return `${e.type.replace(/_/g, ' ')}${byWhom(e)}`;
  }
}

function renderEvents(events) {
  $('events').replaceChildren(
    ...events.map((e) => el('li', { data: { type: e.type } }, el('span', { text: describeEvent(e) }), el('time', { dateTime: e.at, title: formatTime(e.at), text: formatClock(e.at) }))),
  );
}

// --- actions, read-only view, take-over -------------------------------------------------------

const ACTION_IDS = ['claim', 'release', 'pending', 'resolve', 'close', 'reopen', 'priority', 'servqual', 'assign', 'assign-to'];

function renderActions(ticket, requests) {
  const mine = ticket.assignee?.id === state.user.id;
  const active = ticket.status === 'open' || ticket.status === 'pending';
  const readOnly = access === 'read';
  $('claim').classList.toggle('hidden', mine || ticket.status === 'closed');
  $('claim').textContent = ticket.assignee && !mine ? 'Ambil alih' : 'Ambil tiket';
  $('release').classList.toggle('hidden', !ticket.assignee || (!mine && !hasRole('supervisor')));
  $('pending').classList.toggle('hidden', ticket.status !== 'open');
  $('resolve').classList.toggle('hidden', !active);
  $('close').classList.toggle('hidden', ticket.status === 'closed');
  $('reopen').classList.toggle('hidden', active);
  // A colleague's ticket: every control stays where it is, disabled, and the notice says why.
  for (const id of ACTION_IDS) $(id).disabled = readOnly;
  $('composer').classList.toggle('hidden', ticket.status === 'closed' || readOnly);
  $('assign-box').classList.toggle('hidden', readOnly || ticket.status === 'closed' || !(mine || ticket.assignee === null || hasRole('supervisor')));
  $('priority').value = ticket.priority;
  $('servqual').value = ticket.servqual;

  const holder = personName(ticket.assignee) ?? 'petugas lain';
  $('readonly').classList.toggle('hidden', !readOnly);
  if (readOnly) {
    $('readonly-text').textContent = `Tiket ini ditangani oleh ${holder}. Anda hanya dapat melihatnya: tombol tindakan dinonaktifkan, nomor pribadi pemohon disamarkan, dan catatan internal tidak ditampilkan. Bila ${holder} berhalangan, minta ambil alih; ${holder} atau pengawas akan memutuskan.`;
    const waiting = requests.find((r) => r.requesterId === state.user.id);
    $('takeover-ask').classList.toggle('hidden', Boolean(waiting) || ticket.status === 'closed');
    $('takeover-waiting').classList.toggle('hidden', !waiting);
    if (waiting) {
      $('takeover-waiting-text').textContent = `Permintaan ambil alih terkirim ${formatTime(waiting.createdAt)}. Menunggu keputusan ${holder} atau pengawas.`;
      $('takeover-withdraw').dataset.requestId = String(waiting.id);
    }
  }
  // Requests from colleagues, for the holder (or a supervisor) to decide.
  const toDecide = readOnly ? [] : requests.filter((r) => r.requesterId !== state.user.id);
  $('takeover-panel').classList.toggle('hidden', toDecide.length === 0);
  $('takeover-requests').replaceChildren(
    ...toDecide.map((r) =>
      el(
        'li',
        { className: 'feed__item feed__item--new', data: { requestId: r.id } },
        el('p', { className: 'feed__text', text: `${r.requester ?? 'Petugas'} meminta mengambil alih tiket ini${r.note ? `: “${r.note}”` : '.'}` }),
        el(
          'div',
          { className: 'actions' },
          el('button', { type: 'button', className: 'primary', text: 'Setujui', onclick: () => decide(r.id, 'accept', `Tiket dialihkan ke ${r.requester}.`) }),
          el('button', { type: 'button', text: 'Tolak', onclick: () => decide(r.id, 'decline', 'Permintaan ditolak.') }),
        ),
      ),
    ),
  );
}

async function decide(requestId, verdict, done) {
  try {
    await api('POST', `/api/takeover-requests/${requestId}/${verdict}`);
    toast(done);
    await load();
  } catch (err) {
    reportError(err);
  }
}

async function loadColleagues(ticket) {
  if (colleagues === null) colleagues = (await api('GET', '/api/colleagues')).colleagues;
  const options = colleagues.filter((c) => c.id !== ticket.assignee?.id);
  const chosen = $('assign-to').value;
  $('assign-to').replaceChildren(...options.map((c) => el('option', { value: c.username, text: `${c.displayName ?? c.username}${c.id === state.user.id ? ' (saya)' : ''}` })));
  if (options.some((c) => c.username === chosen)) $('assign-to').value = chosen;
}

// --- the contact panel ------------------------------------------------------------------------

function renderContact(contact) {
  fill(
    $('contact'),
    el('p', { className: 'contact__name', text: contact.displayName ?? 'Pemohon (tanpa nama)' }),
    el(
      'ul',
      { className: 'timers' },
      contact.identities.map((i) =>
        el('li', {}, el('span', { text: LABELS.channel[i.channel] ?? i.channel }), el('span', { text: [i.displayName, i.username ? `@${i.username}` : null, i.phone].filter(Boolean).join(' · ') || '–' })),
      ),
    ),
  );
  $('contact-tickets').replaceChildren(
    ...(contact.tickets.length
      ? contact.tickets.map((t) =>
          el(
            'li',
            {},
            el('a', { href: `/dashboard/tickets/${t.id}`, text: `${t.ref} · ${t.intentLabel}` }),
            el('span', { text: `${LABELS.status[t.status] ?? t.status} · ${formatTime(t.createdAt)}${t.access === 'read' ? ' · hanya lihat' : ''}` }),
          ),
        )
      : [el('li', { text: 'Belum ada tiket lain.' })]),
  );
  const notes = contact.notes;
  $('contact-note-form').classList.toggle('hidden', notes === null);
  $('contact-notes').replaceChildren(
    ...(notes === null
      ? [el('li', { className: 'feed__empty', text: 'Catatan tentang pemohon hanya terlihat oleh pemegang tiket dan pengawas.' })]
      : notes.length === 0
        ? [el('li', { className: 'feed__empty', text: 'Belum ada catatan.' })]
        : notes.map((n) => el('li', { className: 'feed__item' }, el('p', { className: 'feed__text', text: n.text }), el('div', { className: 'feed__meta', text: `${n.staffName ?? 'Petugas'} · ${formatTime(n.createdAt)}` })))),
  );
  $('contact-note-save').dataset.contactId = String(contact.id);
}

$('contact-note-save').addEventListener('click', async () => {
  const text = $('contact-note').value.trim();
  if (!text) return toast('Tulis catatannya dulu.', 'error');
  try {
    await api('POST', `/api/contacts/${$('contact-note-save').dataset.contactId}/notes`, { text });
    $('contact-note').value = '';
    toast('Catatan tentang pemohon disimpan.');
    await load();
  } catch (err) {
    reportError(err);
  }
});

// --- load --------------------------------------------------------------------------------------

async function loadCanned(language) {
  if (cannedLoaded === language) return;
  cannedLoaded = language;
  ({ answers: canned } = await api('GET', `/api/canned?language=${encodeURIComponent(language)}`));
  $('canned').replaceChildren(el('option', { value: '', text: 'Sisipkan jawaban siap pakai…' }), ...canned.map((a) => el('option', { value: a.intent, text: a.label })));
}

async function load() {
  try {
    const data = await api('GET', `/api/tickets/${ticketId}`);
    current = data.ticket;
    access = data.access ?? data.ticket.access ?? 'full';
    renderHead(data.ticket, data.contact);
    renderActions(data.ticket, data.takeoverRequests ?? []);
    renderTimers(data.ticket);
    renderChannelWindow(data.channelWindow);
    renderHistory(data.messages, data.hiddenMessages ?? 0);
    renderEvents(data.events);
    renderContact(data.contact);
    setupOutside(data.ticket);
    void refreshSummary();
    if (access === 'full') {
      await loadCanned(data.ticket.language ?? 'id');
      await loadColleagues(data.ticket);
    }
  } catch (err) {
    if (err.status === 404 || err.code === 'VALIDATION') {
      fill($('head'), el('span', { className: 'card__ref', text: 'Tiket tidak ditemukan' }));
      $('summary').textContent = `Tidak ada tiket dengan nomor ini. Kembali ke antrean untuk mencari tiket.`;
      for (const id of ACTION_IDS) $(id).disabled = true;
      $('composer').classList.add('hidden');
    }
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
$('assign').addEventListener('click', () => {
  const option = $('assign-to').selectedOptions[0];
  if (option) void act('assign', { to: option.value }, `Tiket dialihkan ke ${option.textContent}.`);
});
$('takeover').addEventListener('click', () => {
  const note = $('takeover-note').value.trim();
  void act('takeover-requests', note ? { note } : {}, 'Permintaan ambil alih terkirim.');
});
$('takeover-withdraw').addEventListener('click', async () => {
  try {
    await api('POST', `/api/takeover-requests/${$('takeover-withdraw').dataset.requestId}/withdraw`);
    toast('Permintaan dibatalkan.');
    await load();
  } catch (err) {
    reportError(err);
  }
});

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

// --- the composer -------------------------------------------------------------------------------

const textarea = $('reply-text');

/** Puts `text` where the cursor is (replacing the selection, or the range [from, to)), and the cursor after it. */
function insertAtCursor(text, from = textarea.selectionStart, to = textarea.selectionEnd) {
  const before = textarea.value.slice(0, from);
  const after = textarea.value.slice(to);
  const glueBefore = before && !/\s$/.test(before) ? ' ' : '';
  const glueAfter = after && !/^\s/.test(after) ? ' ' : '';
  textarea.value = `${before}${glueBefore}${text}${glueAfter}${after}`;
  const cursor = before.length + glueBefore.length + text.length;
  textarea.focus();
  textarea.setSelectionRange(cursor, cursor);
}

$('canned').addEventListener('change', () => {
  const answer = canned.find((a) => a.intent === $('canned').value);
  if (answer) insertAtCursor(answer.text);
  $('canned').value = '';
});

// "/" then letters: a small filterable list of canned answers; Enter or a click inserts at the cursor.
const slash = { open: false, start: 0, items: [], active: 0 };
const slashList = $('slash-list');

function closeSlash() {
  slash.open = false;
  slashList.classList.add('hidden');
  textarea.removeAttribute('aria-activedescendant');
}

function drawSlash() {
  slashList.replaceChildren(
    ...(slash.items.length
      ? slash.items.map((a, i) =>
          el('li', {
            id: `slash-${i}`,
            role: 'option',
            className: `slash__item${i === slash.active ? ' slash__item--active' : ''}`,
            aria: { selected: String(i === slash.active) },
            data: { intent: a.intent },
            text: a.label,
            onmousedown: (event) => {
              event.preventDefault();
              pickSlash(i);
            },
          }),
        )
      : [el('li', { className: 'slash__empty', role: 'option', aria: { disabled: 'true', selected: 'false' }, text: 'Tidak ada jawaban yang cocok.' })]),
  );
  slashList.classList.remove('hidden');
  if (slash.items.length) {
    textarea.setAttribute('aria-activedescendant', `slash-${slash.active}`);
    $(`slash-${slash.active}`)?.scrollIntoView({ block: 'nearest' });
  } else textarea.removeAttribute('aria-activedescendant');
}

function updateSlash() {
  const upto = textarea.value.slice(0, textarea.selectionStart);
  const match = /(^|\s)\/([^\s/]*)$/.exec(upto);
  if (!match || canned.length === 0) return closeSlash();
  const term = match[2].toLowerCase();
  slash.start = upto.length - match[2].length - 1;
  slash.items = canned.filter((a) => a.label.toLowerCase().includes(term) || a.intent.includes(term) || (term.length >= 3 && a.text.toLowerCase().includes(term))).slice(0, 8);
  slash.active = Math.min(slash.active, Math.max(0, slash.items.length - 1));
  slash.open = true;
  drawSlash();
}

function pickSlash(i) {
  const answer = slash.items[i];
  if (!answer) return;
  insertAtCursor(answer.text, slash.start, textarea.selectionStart);
  closeSlash();
}

textarea.addEventListener('input', () => {
  slash.active = 0;
  updateSlash();
});
textarea.addEventListener('blur', () => setTimeout(closeSlash, 100));
textarea.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
    event.preventDefault();
    closeSlash();
    void send();
    return;
  }
  if (!slash.open) return;
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    event.preventDefault();
    const n = slash.items.length;
    if (n) slash.active = (slash.active + (event.key === 'ArrowDown' ? 1 : n - 1)) % n;
    drawSlash();
  } else if (event.key === 'Enter' || event.key === 'Tab') {
    if (slash.items.length) {
      event.preventDefault();
      pickSlash(slash.active);
    } else closeSlash();
  } else if (event.key === 'Escape') {
    event.preventDefault();
    closeSlash();
  }
});

function drawMode() {
  const internal = $('internal').checked;
  // #21: an answer given outside SAPA (phone, letter, LAPOR!) is recorded, not sent.
  const via = internal ? '' : $('answered-via').value;
  $('answered-via').disabled = internal;
  $('composer').classList.toggle('composer--internal', internal);
  $('composer-title').textContent = internal ? 'Catatan internal' : via ? 'Catat jawaban di luar SAPA' : 'Balas pemohon';
  $('composer-mode').textContent = internal
    ? 'Hanya terlihat oleh petugas. Tidak dikirim ke pemohon.'
    : via
      ? `Dicatat sebagai jawaban yang sudah diberikan lewat ${LABELS.answeredVia[via]}; tidak dikirim, dihitung untuk SLA.`
      : `Balasan dikirim ke pemohon lewat ${LABELS.channel[current?.channel] ?? 'kanalnya'}.`;
  textarea.placeholder = internal ? 'Tulis catatan untuk sesama petugas…' : via ? 'Tulis jawaban yang diberikan…' : 'Tulis balasan untuk pemohon…';
  textarea.setAttribute('aria-label', internal ? 'Teks catatan internal' : via ? 'Teks jawaban di luar SAPA' : 'Teks balasan');
  $('send').textContent = internal ? 'Simpan catatan' : via ? 'Catat jawaban' : 'Kirim balasan';
}
$('internal').addEventListener('change', drawMode);
$('answered-via').addEventListener('change', drawMode);

/** A contact SAPA cannot reach can only be answered outside SAPA; LAPOR! reports get the copy text. */
function setupOutside(ticket) {
  const select = $('answered-via');
  const viaChannel = select.querySelector('option[value=""]');
  if (ticket.channel === 'offline' && viaChannel) {
    viaChannel.remove();
    select.value = ticket.origin === 'lapor' ? 'lapor' : ticket.origin === 'letter' ? 'letter' : 'phone';
  }
  $('lapor-box').classList.toggle('hidden', ticket.origin !== 'lapor' || access !== 'full');
  drawMode();
}

$('lapor-copy').addEventListener('click', async () => {
  try {
    const { text } = await api('GET', `/api/tickets/${ticketId}/lapor-text`);
    const box = $('lapor-text');
    box.value = text;
    box.classList.remove('hidden');
    try {
      await navigator.clipboard.writeText(text);
      toast('Disalin. Tempel di kolom tindak lanjut pada panel LAPOR!.');
    } catch {
      // No clipboard (plain http, or refused): the text is shown to copy by hand.
      box.focus();
      box.select();
      toast('Salin teks di bawah tombol, lalu tempel di panel LAPOR!.');
    }
  } catch (err) {
    reportError(err);
  }
});

async function send() {
  const text = textarea.value.trim();
  if (!text) return toast('Tulis balasan dulu.', 'error');
  if ($('send').disabled) return;
  const internal = $('internal').checked;
  const answeredVia = internal ? '' : $('answered-via').value;
  $('send').disabled = true;
  try {
    await api('POST', `/api/tickets/${ticketId}/messages`, { text, internal, ...(answeredVia ? { answeredVia } : {}) });
    textarea.value = '';
    // Back to a reply: the next message is for the applicant unless the box is ticked again.
    $('internal').checked = false;
    drawMode();
    toast(internal ? 'Catatan disimpan.' : answeredVia ? 'Jawaban di luar SAPA dicatat.' : 'Balasan dikirim.');
    await load();
  } catch (err) {
    reportError(err);
  } finally {
    $('send').disabled = false;
  }
}
$('send').addEventListener('click', () => void send());

// --- next / previous ticket (j/k, Alt+↓/↑): the order of the queue last shown ---------------------

async function neighbour(step) {
  let ids = [];
  try {
    ids = JSON.parse(sessionStorage.getItem('sapa.queue') ?? 'null')?.ids ?? [];
  } catch {
    ids = [];
  }
  if (!ids.includes(ticketId)) {
    try {
      ids = (await api('GET', '/api/tickets')).tickets.map((t) => t.id);
    } catch (err) {
      return reportError(err);
    }
  }
  const at = ids.indexOf(ticketId);
  const next = at === -1 ? ids[0] : ids[at + step];
  if (next === undefined) return toast(step > 0 ? 'Ini tiket terakhir di antrean.' : 'Ini tiket pertama di antrean.');
  location.assign(`/dashboard/tickets/${next}`);
}
onTicketNavigation(() => void neighbour(1), () => void neighbour(-1));

await boot('/dashboard');
drawMode();
await load();
const reload = debounce(load, 250);
live({
  connected: reload,
  ticket: (event) => { if (event.ticketId === ticketId) reload(); },
  message: (event) => { if (event.ticketId === ticketId || current?.id === event.ticketId) reload(); },
});
