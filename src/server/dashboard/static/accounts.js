// Accounts page (admin): list, add, disable, unlock.
import { LABELS, api, badge, boot, el, formatTime, live, reportError, state, toast } from './common.js';

const list = document.getElementById('accounts');
const form = document.getElementById('add');

function accountCard(a) {
  const buttons = [];
  if (a.lockedUntil) buttons.push(el('button', { type: 'button', text: 'Lepas penundaan login', onclick: () => act(`/api/staff/${encodeURIComponent(a.username)}/unlock`, 'Penundaan login dilepas.') }));
  if (!a.disabled && a.id !== state.user.id) buttons.push(el('button', { type: 'button', className: 'danger', text: 'Nonaktifkan', onclick: () => act(`/api/staff/${encodeURIComponent(a.username)}/disable`, 'Akun dinonaktifkan.') }));
  return el(
    'li',
    { className: 'card' },
    el('div', { className: 'card__head' }, el('span', { className: 'card__ref', text: a.username }), badge(LABELS.role[a.role] ?? a.role, 'channel'), a.disabled ? badge('Nonaktif', 'overdue') : null, a.lockedUntil ? badge(`Login ditunda s.d. ${formatTime(a.lockedUntil)}`, 'warning') : null),
    el('div', { className: 'card__meta' }, el('span', { text: a.displayName ?? '' }), el('span', { text: `Dibuat ${formatTime(a.createdAt)}` })),
    buttons.length ? el('div', { className: 'actions' }, ...buttons) : null,
  );
}

async function act(path, done) {
  try {
    await api('POST', path);
    toast(done);
    await load();
  } catch (err) {
    reportError(err);
  }
}

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
    reportError(err);
  }
});

await boot('/dashboard/accounts');
await load();
live({});
