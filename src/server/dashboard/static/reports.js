// Reports page (supervisor): first response median/p90, SLA compliance, volume; charts are server-rendered SVG.
import { LABELS, api, boot, el, live, reportError } from './common.js';
import { setupRange } from './range.js';

const CHARTS = [
  ['first-response', 'Respons pertama per hari'],
  ['compliance', 'Kepatuhan SLA per hari'],
  ['channel', 'Tiket per kanal'],
  ['intent', 'Tiket per topik'],
  ['servqual', 'Tiket per dimensi SERVQUAL'],
];

const minutes = (ms) => (ms === null ? '–' : ms < 3_600_000 ? `${Math.round(ms / 60000)} m` : `${Math.floor(ms / 3_600_000)} j ${Math.round((ms % 3_600_000) / 60000)} m`);
const percent = (share) => (share === null ? '–' : `${Math.round(share * 100)}%`);

function tile(value, label) {
  return el('div', { className: 'tile' }, el('div', { className: 'tile__value', text: value }), el('div', { className: 'tile__label', text: label }));
}

function volumeTable(title, counts, labels = {}) {
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, el('th', { text: title }), el('th', { className: 'num', text: 'Tiket' }))),
    el('tbody', {}, ...counts.map((c) => el('tr', {}, el('td', { text: labels[c.key] ?? c.key }), el('td', { className: 'num', text: String(c.count) })))),
  );
}

async function show({ from, to }) {
  try {
    const report = await api('GET', `/api/reports?from=${from}&to=${to}`);
    const fr = report.firstResponse.total;
    const c = report.compliance.total;
    document.getElementById('tiles').replaceChildren(
      tile(String(report.volume.tickets), 'Tiket dibuka'),
      tile(minutes(fr.medianMs), 'Median respons pertama (jam kerja)'),
      tile(minutes(fr.p90Ms), 'P90 respons pertama'),
      tile(percent(c.firstResponse.rate), 'Respons pertama sesuai SLA'),
    );
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
      volumeTable('Kanal', report.volume.byChannel, LABELS.channel),
      volumeTable('Topik', report.volume.byIntent),
      volumeTable('SERVQUAL', report.volume.byServqual, LABELS.servqual),
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
const range = setupRange(show);
await show(range());
setupDigest();
await showDigest(null);
live({});
