// Knowledge page: questions the bot could not answer, most frequent first (personal data masked by the server;
// survey comments left out). Staff forward them to an admin; admins see how to add them to intents/.
import { LABELS, api, badge, boot, el, formatTime, hasRole, live, reportError, toast } from './common.js';
import { setupRange } from './range.js';

let intentLabels = {};

async function copyForAdmin(q) {
  const text = `Pertanyaan pemohon yang belum dijawab bot (${q.count}×, terakhir ${formatTime(q.lastAt)}):\n"${q.text}"`;
  try {
    await navigator.clipboard.writeText(text);
    toast('Disalin. Tempel di pesan untuk admin SAPA.');
  } catch {
    // No clipboard (plain http, or refused): show the text to copy by hand.
    toast(text);
  }
}

function question(q) {
  const guess = q.intent !== 'out_of_scope' ? badge(`mirip topik: ${intentLabels[q.intent] ?? q.intent.replace(/_/g, ' ')}`) : null;
  return el(
    'li',
    { className: 'card' },
    el('div', { className: 'card__head' }, el('span', { className: 'card__ref', text: `${q.count}×` }), ...q.channels.map((c) => badge(LABELS.channel[c] ?? c, 'channel')), guess),
    el('p', { className: 'msg__text', text: q.text }),
    el('div', { className: 'card__meta' }, el('span', { text: `Terakhir ${formatTime(q.lastAt)}` })),
    hasRole('admin') ? null : el('div', { className: 'actions' }, el('button', { type: 'button', text: 'Salin untuk admin', onclick: () => copyForAdmin(q) })),
  );
}

async function show({ from, to }) {
  try {
    const { questions } = await api('GET', `/api/knowledge/unanswered?from=${from}&to=${to}`);
    document.getElementById('questions').replaceChildren(
      ...(questions.length ? questions.map(question) : [el('li', { className: 'empty', text: 'Tidak ada pertanyaan yang terlewat pada rentang ini.' })]),
    );
  } catch (err) {
    reportError(err);
  }
}

await boot('/dashboard/knowledge');
const admin = hasRole('admin');
document.getElementById('advice-admin').hidden = !admin;
document.getElementById('advice-staff').hidden = admin;
try {
  // Topic names instead of ids ("Kode OTP tidak masuk", not mpaspor_otp) where the canned list knows them.
  const { answers } = await api('GET', '/api/canned?language=id');
  intentLabels = Object.fromEntries((answers ?? []).map((a) => [a.intent, a.label]));
} catch (err) {
  console.warn(err);
}
const range = setupRange(show);
await show(range());
live({});
