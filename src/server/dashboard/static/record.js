// "Catat aduan" (#21): staff record a complaint received outside the chat channels (counter, phone,
// letter, LAPOR!, e-mail, other) through POST /api/tickets; errors are shown in Indonesian next to the
// form, and nothing typed is lost on an error.
import { ApiError, LABELS, api, boot, live, state } from './common.js';

const $ = (id) => document.getElementById(id);

/** Which field a server message is about, to put the cursor there. */
const FIELD_OF = [
  [/^contact\.name/, 'contact-name'],
  [/^contact\.phone/, 'contact-phone'],
  [/^contact\.email/, 'contact-email'],
  [/^contact\.whatsapp/, 'contact-whatsapp'],
  [/^contact\.telegram/, 'contact-telegram'],
  [/^laporTrackingId/, 'lapor-id'],
  [/^receivedAt/, 'received-at'],
  [/^text /, 'complaint-text'],
];

/** "2026-12-01T09:00" typed in office time -> ISO with the office's offset (+08:00 for WITA). */
function officeIso(local) {
  const zone = state.timeZone ?? 'Asia/Makassar';
  const guess = new Date(`${local}:00Z`);
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(guess).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+08:00';
  const offset = name === 'GMT' ? '+00:00' : name.replace('GMT', '');
  return `${local}:00${offset}`;
}

function showError(message, fieldId) {
  const box = $('record-error');
  box.textContent = message;
  box.classList.remove('hidden');
  for (const input of document.querySelectorAll('#record-form [aria-invalid]')) input.removeAttribute('aria-invalid');
  const field = fieldId ? $(fieldId) : null;
  if (field) {
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }
}

function drawOrigin() {
  $('lapor-field').classList.toggle('hidden', $('origin').value !== 'lapor');
}

function payload() {
  const value = (id) => $(id).value.trim();
  const contact = { name: value('contact-name') };
  for (const [key, id] of [['phone', 'contact-phone'], ['email', 'contact-email'], ['whatsapp', 'contact-whatsapp'], ['telegram', 'contact-telegram']]) {
    if (value(id) !== '') contact[key] = value(id);
  }
  const body = { origin: $('origin').value, contact, text: $('complaint-text').value, priority: $('record-priority').value };
  if ($('record-servqual').value) body.servqual = $('record-servqual').value;
  if (body.origin === 'lapor' && value('lapor-id') !== '') body.laporTrackingId = value('lapor-id');
  if ($('received-at').value) body.receivedAt = officeIso($('received-at').value);
  return body;
}

async function submit(event) {
  event.preventDefault();
  const body = payload();
  // The obvious mistakes are caught here, in Indonesian, before a round trip.
  if (body.contact.name === '') return showError('Nama pelapor wajib diisi.', 'contact-name');
  if (body.text.trim() === '') return showError('Isi aduan wajib diisi.', 'complaint-text');
  $('record-submit').disabled = true;
  try {
    const result = await api('POST', '/api/tickets', body);
    $('record-error').classList.add('hidden');
    const t = result.ticket;
    const joined = result.contact.matched ? `Digabung dengan kontak yang sudah dikenal (${{ phone: 'telepon', whatsapp: 'WhatsApp', email: 'e-mail', telegram: 'Telegram' }[result.contact.matchedBy] ?? result.contact.matchedBy}).` : 'Kontak baru.';
    const reach = result.reachable
      ? `Balasan dikirim lewat ${LABELS.channel[t.channel] ?? t.channel}.`
      : 'Pelapor tidak punya kanal chat: catat jawaban yang diberikan lewat telepon, surat atau LAPOR! di halaman tiket.';
    $('record-result-title').textContent = `Aduan dicatat sebagai tiket ${t.ref}`;
    $('record-result-text').textContent = `${LABELS.origin[t.origin] ?? t.origin}${t.laporTrackingId ? ` · No. LAPOR! ${t.laporTrackingId}` : ''}. ${joined} ${reach}`;
    $('record-result-link').href = `/dashboard/tickets/${t.id}`;
    $('record-result-link').textContent = `Buka tiket ${t.ref}`;
    $('record-form').classList.add('hidden');
    $('record-result').classList.remove('hidden');
    $('record-result').focus();
  } catch (err) {
    // ApiError's message is already Indonesian; its detail (the server's words) names the field.
    const field = FIELD_OF.find(([pattern]) => pattern.test(err.detail ?? ''))?.[1] ?? null;
    showError(err instanceof ApiError ? err.message : 'Terjadi kesalahan. Coba lagi.', field);
  } finally {
    $('record-submit').disabled = false;
  }
}

$('origin').addEventListener('change', drawOrigin);
$('record-form').addEventListener('submit', (event) => void submit(event));
$('record-again').addEventListener('click', () => {
  $('record-form').reset();
  drawOrigin();
  $('record-result').classList.add('hidden');
  $('record-form').classList.remove('hidden');
  $('origin').focus();
});

await boot('/dashboard/record');
drawOrigin();
live({});
