// Accounts page (admin): list, add, change role, reset password, disable (after a confirmation), re-enable, lift a login delay.
import { LABELS, api, badge, boot, el, formatTime, live, reportError, state, toast } from './common.js';

const list = document.getElementById('accounts');
const form = document.getElementById('add');
const path = (a, action) => `/api/staff/${encodeURIComponent(a.username)}/${action}`;
const nameOf = (a) => (a.displayName ? `${a.displayName} (${a.username})` : a.username);

// The server explains refusals in English (the CLI shares them); said here in Indonesian.
const WEAK_REASONS = [
  [/straight row of keys/, 'deretan tombol keyboard mudah ditebak'],
  [/keyboard pattern/, 'pola keyboard pendek mudah ditebak'],
  [/repeated characters/, 'karakter berulang seperti "aaa" atau "1111" mudah ditebak'],
  [/repeated patterns/, 'pola berulang seperti "abcabcabc" mudah ditebak'],
  [/sequences/, 'urutan seperti "abc" atau "6543" mudah ditebak'],
  [/recent years/, 'tahun mudah ditebak'],
  [/dates/, 'tanggal mudah ditebak'],
  [/most used|commonly used|close to a commonly/, 'kata sandi ini termasuk yang paling sering dipakai'],
  [/single word/, 'satu kata saja mudah ditebak'],
  [/names/, 'nama orang mudah ditebak'],
  [/username, the name or a word of this office/, 'memuat nama pengguna, nama, atau kata tentang kantor ini'],
  [/data breach/, 'kata sandi ini pernah bocor'],
];
const ACCOUNT_ERRORS = [
  [/at least (\d+) characters/, (m) => `Kata sandi minimal ${m[1]} karakter.`],
  [/at most (\d+) characters/, (m) => `Kata sandi paling banyak ${m[1]} karakter.`],
  [/too weak \(strength (\d) of 4, at least (\d) needed\): ([^;]*)/, (m) => {
    const reason = WEAK_REASONS.find(([pattern]) => pattern.test(m[3]))?.[1] ?? 'mudah ditebak';
    return `Kata sandi terlalu lemah (kekuatan ${m[1]} dari 4, minimal ${m[2]}): ${reason}. Pakai tiga atau empat kata yang tidak berhubungan, misalnya digabung tanda pisah.`;
  }],
  [/already exists/, 'Nama pengguna itu sudah dipakai.'],
  [/a username has/, 'Nama pengguna 2–32 karakter: huruf kecil, angka, titik, garis bawah atau tanda pisah.'],
  [/cannot change your own role/, 'Anda tidak dapat mengubah peran akun Anda sendiri.'],
  [/cannot disable your own account/, 'Anda tidak dapat menonaktifkan akun Anda sendiri.'],
];
function accountError(err) {
  const detail = err?.detail ?? '';
  for (const [pattern, text] of ACCOUNT_ERRORS) {
    const m = pattern.exec(detail);
    if (m) return typeof text === 'function' ? text(m) : text;
  }
  return err instanceof Error ? err.message : 'Tidak dapat disimpan. Coba lagi.';
}

function roleControl(a) {
  if (a.id === state.user.id) return null;
  const id = `role-${a.username}`;
  const select = el('select', { id }, ...['staff', 'supervisor', 'admin'].map((role) => el('option', { value: role, text: LABELS.role[role], selected: role === a.role })));
  const label = el('label', { text: 'Peran' });
  label.setAttribute('for', id);
  const save = el('button', {
    type: 'button',
    text: 'Simpan peran',
    onclick: () => act(path(a, 'role'), `Peran ${a.username} diubah menjadi ${LABELS.role[select.value]}.`, { role: select.value }),
  });
  return el('div', { className: 'composer__row' }, label, select, save);
}

function accountCard(a) {
  const self = a.id === state.user.id;
  const buttons = [];
  if (a.lockedUntil) buttons.push(el('button', { type: 'button', text: 'Lepas penundaan login', onclick: () => act(path(a, 'unlock'), 'Penundaan login dilepas.') }));
  buttons.push(el('button', { type: 'button', text: 'Atur ulang kata sandi', onclick: () => resetPassword(a) }));
  if (a.disabled) buttons.push(el('button', { type: 'button', text: 'Aktifkan kembali', onclick: () => act(path(a, 'enable'), `Akun ${a.username} aktif kembali.`) }));
  else if (!self) buttons.push(el('button', { type: 'button', className: 'danger', text: 'Nonaktifkan', onclick: () => confirmDisable(a) }));
  return el(
    'li',
    { className: 'card', data: { username: a.username } },
    el(
      'div',
      { className: 'card__head' },
      el('h2', { className: 'card__ref', text: a.username }),
      badge(LABELS.role[a.role] ?? a.role, 'channel'),
      self ? badge('Anda', 'status') : null,
      a.disabled ? badge('Nonaktif', 'overdue') : badge('Aktif', 'ok'),
      a.lockedUntil ? badge(`Login ditunda s.d. ${formatTime(a.lockedUntil)}`, 'warning') : null,
    ),
    el('div', { className: 'card__meta' }, el('span', { text: a.displayName ?? '' }), el('span', { text: `Dibuat ${formatTime(a.createdAt)}` })),
    roleControl(a),
    el('div', { className: 'actions' }, ...buttons),
  );
}

async function act(url, done, payload) {
  try {
    await api('POST', url, payload);
    toast(done);
    await load();
  } catch (err) {
    toast(accountError(err), 'error');
  }
}

// --- disabling asks first: it ends the officer's sessions and stops their logins at once --------
const disableDialog = document.getElementById('confirm-disable');
let disableTarget = null;
function confirmDisable(a) {
  disableTarget = a;
  document.getElementById('confirm-disable-text').textContent =
    `${nameOf(a)} tidak bisa masuk lagi dan sesi yang sedang terbuka segera berakhir. Tiket yang dipegangnya tetap ada; akun bisa diaktifkan kembali kapan saja.`;
  disableDialog.showModal();
  document.getElementById('confirm-disable-cancel').focus();
}
document.getElementById('confirm-disable-cancel').addEventListener('click', () => disableDialog.close());
document.getElementById('confirm-disable-ok').addEventListener('click', async () => {
  const a = disableTarget;
  disableDialog.close();
  if (a) await act(path(a, 'disable'), `Akun ${a.username} dinonaktifkan.`);
});

// --- password reset: the server checks the strength (zxcvbn) and says why a password is refused ---
const resetDialog = document.getElementById('reset-password');
const resetForm = document.getElementById('reset-form');
const resetInput = document.getElementById('r-password');
const resetError = document.getElementById('reset-error');
let resetTarget = null;
function resetPassword(a) {
  resetTarget = a;
  resetForm.reset();
  resetError.textContent = '';
  document.getElementById('reset-password-text').textContent = `Kata sandi baru untuk ${nameOf(a)}. Sesi yang sedang terbuka akan berakhir.`;
  resetDialog.showModal();
  resetInput.focus();
}
document.getElementById('reset-cancel').addEventListener('click', () => resetDialog.close());
resetForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const a = resetTarget;
  if (!a) return;
  try {
    await api('POST', path(a, 'password'), { password: resetInput.value });
    resetDialog.close();
    toast(`Kata sandi ${a.username} diganti.`);
    await load();
  } catch (err) {
    // A weak password stays in the dialog with the reason, so the admin can try another.
    resetError.textContent = accountError(err);
  }
});

async function load() {
  try {
    const { staff } = await api('GET', '/api/staff');
    list.replaceChildren(...staff.map(accountCard));
  } catch (err) {
    reportError(err);
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('POST', '/api/staff', {
      username: document.getElementById('a-username').value.trim(),
      displayName: document.getElementById('a-name').value.trim(),
      role: document.getElementById('a-role').value,
      password: document.getElementById('a-password').value,
    });
    form.reset();
    toast('Akun ditambahkan.');
    await load();
  } catch (err) {
    toast(accountError(err), 'error');
  }
});

await boot('/dashboard/accounts');
await load();
live({});
