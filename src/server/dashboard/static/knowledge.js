// Knowledge page: questions the bot could not answer, most frequent first (personal data masked by the server).
import { LABELS, api, badge, boot, el, formatTime, live, reportError } from './common.js';
import { setupRange } from './range.js';

function question(q) {
  return el(
    'li',
    { className: 'card' },
    el('div', { className: 'card__head' }, el('span', { className: 'card__ref', text: `${q.count}×` }), ...q.channels.map((c) => badge(LABELS.channel[c] ?? c, 'channel')), q.intent !== 'out_of_scope' ? badge(`tebakan: ${q.intent}`) : null),
    el('p', { className: 'msg__text', text: q.text }),
    el('div', { className: 'card__meta' }, el('span', { text: `Terakhir ${formatTime(q.lastAt)}` })),
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
const range = setupRange(show);
await show(range());
live({});
