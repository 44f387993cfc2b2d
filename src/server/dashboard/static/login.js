// Login page: the only dashboard script served without a session, so it imports nothing.
const form = document.getElementById('login');
const error = document.getElementById('error');
const submit = document.getElementById('submit');

/** Only paths inside the dashboard: an open redirect would let a link send officers elsewhere. */
function nextPath() {
  const next = new URLSearchParams(location.search).get('next') ?? '';
  return /^\/dashboard(\/[A-Za-z0-9/_-]*)?(\?[A-Za-z0-9=&%_.,-]*)?$/.test(next) && !next.startsWith('/dashboard/login') ? next : '/dashboard';
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  submit.disabled = true;
  try {
    const response = await fetch('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ username: form.username.value.trim(), password: form.password.value }),
    });
    if (response.ok) {
      location.assign(nextPath());
      return;
    }
    const data = await response.json().catch(() => null);
    error.textContent =
      response.status === 401 ? 'Nama pengguna atau kata sandi salah.'
      : response.status === 429 ? 'Terlalu banyak percobaan gagal. Akun dikunci sementara; coba lagi nanti.'
      : (data?.error?.message ?? 'Tidak dapat masuk. Coba lagi.');
  } catch {
    error.textContent = 'Tidak tersambung ke server. Periksa jaringan lalu coba lagi.';
  } finally {
    submit.disabled = false;
  }
});
