// Reports page (supervisor): first response (half / 9 in 10 answered within), SLA compliance, volume, integrity reports;
// each count opens its tickets (GET /api/reports/tickets); charts are server-rendered SVG; the daily digest below.
import { LABELS, api, badge, boot, el, formatTime, live, reportError } from './common.js';
import { setupRange } from './range.js';

const CHARTS = [
  ['first-response', 'Respons pertama per hari: separuh dan 9 dari 10 dijawab dalam (menit kerja)'],
  ['compliance', 'Kepatuhan SLA per hari'],
  ['channel', 'Tiket per kanal'],
  ['intent', 'Tiket per topik'],
  ['servqual', 'Tiket per dimensi mutu layanan'],
];
// SERVQUAL in the Indonesian terms of public-service surveys (the digest uses the same).
const SERVQUAL = { tangibles: 'Bukti fisik', reliability: 'Keandalan', responsiveness: 'Daya tanggap', assurance: 'Jaminan', empathy: 'Empati' };
const STATUS = { open: 'Terbuka', pending: 'Menunggu pemohon', resolved: 'Selesai', closed: 'Ditutup' };
const VERDICT = { met: ['Sesuai SLA', 'ok'], breached: ['Melewati SLA', 'overdue'], pending: ['Berjalan', 'status'] };

/** "6,6" with the Indonesian comma, at most one decimal (as in the digest). */
const number = (value) => {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1).replace('.', ',');
};
/** Business minutes as the digest writes them: "45 mnt", "6,6 mnt", "2 j 10 mnt". */
const minutes = (ms) => {
  if (ms === null) return '–';
  const m = ms / 60000;
  if (m < 60) return `${number(m)} mnt`;
  const whole = Math.round(m);
  return `${Math.floor(whole / 60)} j${whole % 60 > 0 ? ` ${whole % 60} mnt` : ''}`;
};
const percent = (share) => (share === null ? '–' : `${Math.round(share * 100)}%`);

let intentLabels = {};
let current = null;

function tile(value, label, drill) {
  const valueNode = drill
    ? el('button', { type: 'button', className: 'tile__value linkish', text: value, aria: { label: `${value} ${label}: lihat tiketnya` }, onclick: () => showTickets(drill) })
    : el('div', { className: 'tile__value', text: value });
  return el('div', { className: 'tile' }, valueNode, el('div', { className: 'tile__label', text: label }));
}

function countCell(count, drill, what) {
  return el('td', { className: 'num' }, count > 0 ? el('button', { type: 'button', className: 'linkish', text: String(count), aria: { label: `${count} tiket ${what}: lihat` }, onclick: () => showTickets(drill) }) : String(count));
}

function volumeTable(title, counts, key, labels = {}) {
  return el(
    'table',
    {},
    el('caption', { className: 'visually-hidden', text: `Tiket per ${title.toLowerCase()}` }),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: title }), el('th', { scope: 'col', className: 'num', text: 'Tiket' }))),
    el('tbody', {}, ...counts.map((c) => {
      const label = labels[c.key] ?? c.key;
      return el('tr', {}, el('td', { text: label }), countCell(c.count, { [key]: c.key, title: `${title}: ${label}` }, label));
    })),
  );
}

function ticketCard(t) {
  const [verdictText, verdictKind] = VERDICT[t.firstResponse] ?? [t.firstResponse, 'status'];
  return el(
    'li',
    { className: 'card' },
    el('a', { className: 'card__link', href: `/dashboard/tickets/${t.id}` },
      el('div', { className: 'card__head' }, el('span', { className: 'card__ref', text: t.ref }), badge(STATUS[t.status] ?? t.status, 'status'), badge(LABELS.channel[t.channel] ?? t.channel, 'channel'), t.priority === 'high' ? badge('Prioritas tinggi', 'high') : null, badge(verdictText, verdictKind)),
      el('div', { className: 'card__meta' }, el('span', { text: intentLabels[t.intent] ?? t.intent.replace(/_/g, ' ') }), el('span', { text: SERVQUAL[t.servqual] ?? t.servqual }), el('span', { text: `Dibuka ${formatTime(t.createdAt)}` })),
    ),
  );
}

/** The tickets behind a figure, below the tiles; the heading says which figure. */
async function showTickets(drill) {
  if (!current) return;
  const params = new URLSearchParams({ from: current.from, to: current.to });
  for (const key of ['channel', 'origin', 'intent', 'servqual', 'sla', 'integrity']) if (drill[key] !== undefined) params.set(key, drill[key]);
  try {
    const result = await api('GET', `/api/reports/tickets?${params}`);
    const section = document.getElementById('drill');
    document.getElementById('drill-title').textContent = `${drill.title} · ${result.total} tiket (${current.from} s.d. ${current.to})`;
    document.getElementById('drill-list').replaceChildren(...(result.tickets.length ? result.tickets.map(ticketCard) : [el('li', { className: 'empty', text: 'Tidak ada tiket.' })]));
    section.hidden = false;
    section.focus();
  } catch (err) {
    reportError(err);
  }
}

function showIntegrity(reports) {
  const list = document.getElementById('integrity-list');
  list.replaceChildren(
    ...(reports.length
      ? reports.map((r) => el('li', { className: 'card card--overdue' },
          el('a', { className: 'card__link', href: `/dashboard/tickets/${r.ticketId}` },
            el('div', { className: 'card__head' }, el('span', { className: 'card__ref', text: `#${r.ticketId}` }), badge(STATUS[r.status] ?? r.status, 'status'), r.assigneeId === null ? badge('Belum diambil', 'warning') : null),
            el('div', { className: 'card__meta' }, el('span', { text: `Dilaporkan ${formatTime(new Date(r.reportedMs).toISOString())}` })))))
      : [el('li', { className: 'empty', text: 'Tidak ada laporan integritas pada rentang ini.' })]),
  );
}

async function show({ from, to }) {
  try {
    const report = await api('GET', `/api/reports?from=${from}&to=${to}`);
    current = { from, to };
    document.getElementById('drill').hidden = true;
    const fr = report.firstResponse.total;
    const c = report.compliance.total;
    document.getElementById('tiles').replaceChildren(
      tile(String(report.volume.tickets), 'Tiket dibuka', { title: 'Tiket dibuka' }),
      tile(minutes(fr.medianMs), 'Separuh respons pertama dalam (jam kerja)'),
      tile(minutes(fr.p90Ms), '9 dari 10 respons pertama dalam'),
      tile(percent(c.firstResponse.rate), 'Respons pertama sesuai SLA'),
      tile(String(c.firstResponse.breached ?? 0), 'Respons pertama melewati SLA', { sla: 'breached', title: 'Respons pertama melewati SLA' }),
      tile(String(report.integrity.length), 'Laporan integritas', { integrity: '1', title: 'Laporan integritas' }),
      // #21: LAPOR! reports apart (as of the range's end, or now).
      tile(String(report.lapor.open), 'LAPOR! belum selesai', { origin: 'lapor', title: 'Laporan LAPOR!' }),
      tile(String(report.lapor.dueSoon), 'LAPOR! jatuh tempo dalam 1 hari kerja'),
      tile(String(report.lapor.late), 'LAPOR! terlambat'),
    );
    showIntegrity(report.integrity);
    const q = `from=${from}&to=${to}`;
    document.getElementById('charts').replaceChildren(
      ...CHARTS.map(([name, alt]) => el('img', { src: `/api/reports/charts/${name}?${q}`, alt, loading: 'lazy', width: 640, height: 320, data: { chart: name } })),
    );
    document.querySelector('#days tbody').replaceChildren(
      ...report.firstResponse.days.map((d, i) => {
        const comp = report.compliance.days[i];
        return el('tr', {}, el('td', { text: d.date }), el('td', { className: 'num', text: String(d.opened) }), el('td', { className: 'num', text: minutes(d.medianMs) }), el('td', { className: 'num', text: minutes(d.p90Ms) }), el('td', { className: 'num', text: percent(comp.firstResponse.rate) }), el('td', { className: 'num', text: percent(comp.resolution.rate) }));
      }),
    );
    document.getElementById('volume').replaceChildren(
      volumeTable('Kanal', report.volume.byChannel, 'channel', LABELS.channel),
      volumeTable('Asal aduan', report.volume.byOrigin, 'origin', LABELS.origin),
      volumeTable('Topik', report.volume.byIntent, 'intent', intentLabels),
      volumeTable('Dimensi mutu layanan', report.volume.byServqual, 'servqual', SERVQUAL),
    );
  } catch (err) {
    reportError(err);
  }
}

// The daily digest: the same text (and chart) the supervisors receive each morning. Without a
// date the server answers for yesterday in office time (its clock, not the browser's).
async function showDigest(date) {
  try {
    const digest = await api('GET', date ? `/api/digest?date=${date}` : '/api/digest');
    document.getElementById('digest-date').value = digest.date;
    document.getElementById('digest-text').textContent = digest.text;
    document.getElementById('digest-chart').replaceChildren(
      el('img', { src: `/api/digest/chart.svg?date=${digest.date}`, alt: `Grafik ringkasan ${digest.date}`, loading: 'lazy', width: 800, height: 720 }),
    );
  } catch (err) {
    reportError(err);
  }
}

function setupDigest() {
  const input = document.getElementById('digest-date');
  document.getElementById('digest-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void showDigest(input.value);
  });
}

await boot('/dashboard/reports');
try {
  const { answers } = await api('GET', '/api/canned?language=id');
  intentLabels = Object.fromEntries((answers ?? []).map((a) => [a.intent, a.label]));
} catch (err) {
  console.warn(err);
}
const range = setupRange(show);
await show(range());
setupDigest();
await showDigest(null);
live({});
