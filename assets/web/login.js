// Sign-in: POST /api/v1/auth/login, keep the CSRF token, go where the role belongs.
import { api, rememberCsrf, say, t } from './app.js';

const form = document.getElementById('login-form');
const msg = document.getElementById('login-msg');
form?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  say(msg, '', '');
  const body = { login: form.login.value.trim(), password: form.password.value };
  const r = await api('POST', '/api/v1/auth/login', body);
  if (r.ok) {
    rememberCsrf(r.data?.csrf_token);
    const next = new URLSearchParams(location.search).get('next');
    const role = r.data?.user?.role;
    location.assign(next && next.startsWith('/') && !next.startsWith('//') ? next : (role === 'lead' ? '/lead' : '/'));
  } else if (r.status === 404 || r.status === 405) {
    say(msg, t('signin_unavailable'), 'error');
  } else if (r.status === 401 || r.status === 403 || r.status === 422) {
    say(msg, t('signin_failed'), 'error');
  } else {
    say(msg, r.network ? t('network_error') : t('signin_error'), 'error');
  }
});
