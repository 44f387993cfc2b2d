// Channels page (admin): what each channel's status() says, including "needs attention" with what to do.
// Later adapters add fields (a WhatsApp QR as a data: image, a pairing code): unknown fields are shown as text.
import { api, badge, boot, el, formatTime, live, reportError } from './common.js';

const STATE = {
  starting: ['Memulai', ''],
  connected: ['Tersambung', 'ok'],
  reconnecting: ['Menyambung ulang', 'warning'],
  needs_attention: ['Perlu tindakan', 'overdue'],
  logged_out: ['Keluar (perlu ditautkan lagi)', 'overdue'],
  stopped: ['Berhenti', ''],
};
const NAMES = { web: 'Web chat', telegram: 'Telegram', whatsapp: 'WhatsApp', instagram: 'Instagram', console: 'Konsol' };
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

async function load() {
  try {
    const { channels } = await api('GET', '/api/channels');
    document.getElementById('channels').replaceChildren(...channels.map(channelCard));
  } catch (err) {
    reportError(err);
  }
}

await boot('/dashboard/channels');
await load();
live({ alert: (event) => { if (event.kind === 'channel_problem') void load(); } });
setInterval(load, 15_000);
