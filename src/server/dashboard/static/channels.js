// Channels page (admin): what each channel's status() says, including "needs attention" with what to do.
// Later adapters add fields (a WhatsApp QR as a data: image, a pairing code): unknown fields are shown as text.
// Below the channels: the holiday calendar (GET /api/calendar), and what to add when a year has no official data.
import { api, badge, boot, el, formatTime, live, reportError } from './common.js';
// Above the channels: the "before going live" checklist (GET /api/golive).

const STATE = {
  starting: ['Memulai', ''],
  connected: ['Tersambung', 'ok'],
  reconnecting: ['Menyambung ulang', 'warning'],
  needs_attention: ['Perlu tindakan', 'overdue'],
  logged_out: ['Keluar (perlu ditautkan lagi)', 'overdue'],
  stopped: ['Berhenti', ''],
};
const NAMES = { web: 'Web chat', telegram: 'Telegram', whatsapp: 'WhatsApp', instagram: 'Instagram', messenger: 'Messenger', console: 'Konsol' };
const FIELD_LABELS = { reason: 'Sebab', action: 'Yang perlu dilakukan', detail: 'Keterangan', retryAt: 'Coba lagi', pairingCode: 'Kode pairing' };

function field(key, value) {
  const text = key === 'retryAt' ? formatTime(value) : typeof value === 'string' ? value : JSON.stringify(value);
  return [el('dt', { text: FIELD_LABELS[key] ?? key }), el('dd', { text })];
}

function channelCard(channel) {
  const { state, ...rest } = channel.status;
  const [label, modifier] = STATE[state] ?? [state, ''];
  // A QR code arrives as a data: image URL; anything else is shown only as text.
  const qr = typeof rest.qr === 'string' && rest.qr.startsWith('data:image/') ? rest.qr : null;
  delete rest.qr;
  const fields = Object.entries(rest).flatMap(([k, v]) => field(k, v));
  return el(
    'li',
    { className: 'card', data: { channel: channel.name } },
    el('div', { className: 'card__head' }, el('span', { className: 'card__ref', text: NAMES[channel.name] ?? channel.name }), badge(label, modifier)),
    fields.length ? el('dl', { className: 'kv' }, ...fields) : null,
    state === 'needs_attention' || state === 'logged_out'
      ? el('div', { className: 'attention' }, el('strong', { text: 'Tindakan diperlukan: ' }), el('span', { text: rest.action ?? rest.reason ?? '' }), qr ? el('div', { className: 'qr' }, el('img', { src: qr, alt: 'Kode QR untuk menautkan' })) : null)
      : null,
  );
}

// Messenger and Instagram (Meta's official platform): the webhook address to paste into the Meta app,
// each channel's state or the variables it still lacks, and the Instagram token's expiry.
function metaCard(meta, channels) {
  const rows = [];
  const add = (dt, dd) => rows.push(el('dt', { text: dt }), el('dd', {}, dd));
  add('Alamat webhook (Callback URL)', meta.webhookUrl ? el('code', { text: meta.webhookUrl }) : el('span', { text: 'belum ada' }));
  if (meta.webhookNote) add('Catatan', el('span', { text: meta.webhookNote }));
  for (const setup of meta.channels) {
    const running = channels.find((c) => c.name === setup.name);
    const label = NAMES[setup.name] ?? setup.name;
    if (!setup.configured) {
      add(label, el('span', { text: `belum dipasang; isi di .env: ${setup.missing.join(', ')}` }));
      continue;
    }
    const [state] = STATE[running?.status.state] ?? [running?.status.state ?? 'tidak berjalan'];
    add(label, el('span', { text: `${state} · langganan webhook: ${setup.subscriptionFields.join(', ')}` }));
    if (setup.token) {
      const t = setup.token;
      const expiry = `${t.expiryEstimated ? 'paling lambat ' : ''}${formatTime(t.expiresAt)}`;
      add(`Token ${label}`, el('span', { text: `${t.source === 'refreshed' ? 'diperbarui otomatis' : 'dari .env'}, berlaku sampai ${expiry}${t.lastError ? ` · gagal diperbarui: ${t.lastError}` : ''}` }));
    }
  }
  if (meta.humanAgentTag) add('Tag HUMAN_AGENT', el('span', { text: 'aktif (balasan petugas sampai 7 hari)' }));
  const missing = meta.channels.some((c) => !c.configured) || !meta.webhookUrl;
  return el(
    'li',
    { className: 'card', data: { channel: 'meta' } },
    el('div', { className: 'card__head' }, el('span', { className: 'card__ref', text: 'Messenger & Instagram (Meta)' }), badge(missing ? 'Belum lengkap' : 'Terpasang', missing ? 'warning' : 'ok')),
    el('dl', { className: 'kv' }, ...rows),
  );
}

const YEAR_STATUS = { official: 'Resmi (SKB)', provisional: 'Sementara (belum ada SKB)', missing: 'Belum ada di berkas' };
const MONTHS_ID = { Jan: 'Jan', Feb: 'Feb', Mar: 'Mar', Apr: 'Apr', May: 'Mei', Jun: 'Jun', Jul: 'Jul', Aug: 'Agu', Sep: 'Sep', Oct: 'Okt', Nov: 'Nov', Dec: 'Des' };

const fixedDate = (text) => {
  const [day, month, ...name] = text.split(' ');
  return `${day} ${MONTHS_ID[month] ?? month} (${name.join(' ')})`;
};

function yearRows(coverage) {
  const rows = coverage.years.map((y) => [
    String(y.year),
    `${YEAR_STATUS[y.status]} · ${y.holidays} libur nasional, ${y.cutiBersama} cuti bersama${y.decree ? ` · ${y.decree}` : ''}`,
  ]);
  for (const need of coverage.missing) if (need.status === 'missing') rows.push([String(need.year), YEAR_STATUS.missing]);
  rows.sort((a, b) => Number(a[0]) - Number(b[0]));
  return rows.flatMap(([dt, dd]) => [el('dt', { text: dt }), el('dd', { text: dd })]);
}

function calendarGuide(coverage, guide) {
  const years = guide.years.join(' dan ');
  const link = (p) => el('a', { href: p.url, target: '_blank', rel: 'noopener noreferrer', text: p.url.replace(/^https:\/\//, '') });
  return el(
    'div',
    { className: 'calendar-guide' },
    el('strong', { text: 'Yang perlu ditambahkan' }),
    el(
      'ol',
      {},
      el(
        'li',
        {},
        `Tunggu SKB libur nasional dan cuti bersama ${years} terbit. SKB itu diterbitkan bersama oleh `,
        guide.publishers.map((p) => p.name).join(', '),
        '; naskahnya diumumkan di situs mereka: ',
        ...guide.publishers.flatMap((p, i) => [i > 0 ? ', ' : '', link(p)]),
        '.',
      ),
      el(
        'li',
        {},
        'Di server SAPA, buka berkas ',
        el('code', { text: guide.file }),
        ' dan tambahkan satu entri per tahun di daftar ',
        el('code', { text: '"years"' }),
        ':',
        el('pre', { className: 'calendar-guide__example', text: guide.example }),
      ),
      el(
        'li',
        {},
        'Isi ',
        el('code', { text: '"decree"' }),
        ' dengan nomor SKB, lalu setiap tanggal dari SKB, satu baris per tanggal: libur nasional dengan ',
        el('code', { text: '"kind": "holiday"' }),
        ', cuti bersama dengan ',
        el('code', { text: '"kind": "cuti_bersama"' }),
        '. Jangan mengambil tanggal dari daftar di internet: daftar-daftar itu berbeda-beda. Sebelum SKB terbit, tahun itu boleh dicatat dengan ',
        el('code', { text: '"status": "provisional"' }),
        ' tanpa tanggal yang belum pasti.',
      ),
      el('li', {}, 'Mulai ulang SAPA, lalu periksa dengan ', el('code', { text: guide.check }), '.'),
    ),
  );
}

function calendarCard({ coverage, guide }) {
  const warning = coverage.warning;
  const [label, modifier] = warning ? ['Perlu tindakan', 'warning'] : coverage.missing.length > 0 ? ['Belum lengkap', ''] : ['Lengkap', 'ok'];
  return el(
    'div',
    { className: `card${warning ? ' card--warning' : ''}`, data: { calendar: warning ? 'warning' : 'ok' } },
    el('div', { className: 'card__head' }, el('span', { className: 'card__ref', text: `Berkas libur: ${coverage.file}` }), badge(label, modifier)),
    el('dl', { className: 'kv' }, ...yearRows(coverage)),
    el('p', { className: 'calendar-fixed', text: `Libur bertanggal tetap, berlaku setiap tahun walau tidak tercatat: ${coverage.fixedDateHolidays.map(fixedDate).join(', ')}.` }),
    warning
      ? el(
          'div',
          { className: 'attention' },
          el('strong', { text: 'Tindakan diperlukan: ' }),
          el('span', {
            text: `belum ada data libur resmi untuk ${warning.years.join(' dan ')}. Tenggat SLA pada tahun itu hanya melewati libur bertanggal tetap; libur nasional lain dan cuti bersama terhitung hari kerja.`,
          }),
        )
      : null,
    coverage.missing.length > 0 ? calendarGuide(coverage, guide) : null,
  );
}

// "Before going live": the checks `sapa doctor` runs, with the channels' live status.
function goLiveCard(check) {
  const [label, kind] = check.ok ? ['Beres', 'ok'] : check.level === 'needed' ? ['Perlu', 'overdue'] : ['Saran', 'warning'];
  return el(
    'li',
    { className: `card${check.ok ? '' : ' card--overdue'}`, data: { check: check.id } },
    el('div', { className: 'card__head' }, badge(label, kind), el('h3', { className: 'card__ref', text: check.title.id })),
    el('p', { text: check.detail.id }),
  );
}

async function load() {
  try {
    const [{ channels, meta }, calendar, golive] = await Promise.all([api('GET', '/api/channels'), api('GET', '/api/calendar'), api('GET', '/api/golive')]);
    document.getElementById('golive').replaceChildren(...golive.checks.map(goLiveCard));
    const open = golive.checks.filter((c) => !c.ok && c.level === 'needed').length;
    document.getElementById('golive-summary').textContent = golive.ready ? 'Siap operasi.' : `Belum siap: ${open} hal wajib belum beres.`;
    document.getElementById('channels').replaceChildren(...channels.map(channelCard), ...(meta ? [metaCard(meta, channels)] : []));
    document.getElementById('calendar').replaceChildren(calendarCard(calendar));
  } catch (err) {
    reportError(err);
  }
}

await boot('/dashboard/channels');
await load();
live({ alert: (event) => { if (event.kind === 'channel_problem') void load(); } });
setInterval(load, 15_000);
