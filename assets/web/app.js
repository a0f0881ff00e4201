// Shared by every page: the one fetch helper (JSON, same-origin cookies, CSRF header) and the
// page's strings. Plain ES module, no build step.

const CSRF_KEY = 'eventday.csrf';

/** The page's i18n table (rendered by the server into #i18n). */
const strings = (() => {
  try { return JSON.parse(document.getElementById('i18n')?.textContent || '{}'); } catch { return {}; }
})();

/** One string of the page's language (the key when missing). */
export function t(key) { return strings[key] ?? key; }

/** The page language, `zh` or `en`. */
export const lang = document.documentElement.lang === 'en' ? 'en' : 'zh';

/** Formats a count per language (both group by three). */
export function fmt(n) { return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'zh-CN').format(n); }

/** The CSRF token: from the page's meta tag, else from the last sign-in response. */
export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]')?.content;
  return meta || sessionStorage.getItem(CSRF_KEY) || localStorage.getItem(CSRF_KEY) || '';
}

/** Remembers the CSRF token handed out at sign-in (kept across reloads; the cookie is the secret). */
export function rememberCsrf(token) {
  if (token) { sessionStorage.setItem(CSRF_KEY, token); localStorage.setItem(CSRF_KEY, token); }
}

/**
 * Every request the pages make goes through here. Returns {ok, status, data, error, network}:
 * `network` is true when the request never got an answer (offline, server down, timeout).
 */
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let payload = body;
  if (body !== undefined && !(body instanceof Blob) && !(body instanceof FormData)) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), opts.timeout || 15000);
  let resp;
  try {
    resp = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: ctl.signal, cache: 'no-store' });
  } catch (e) {
    return { ok: false, status: 0, network: true, error: { message: t('network_error') } };
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  const ctype = resp.headers.get('Content-Type') || '';
  if (ctype.includes('json')) { try { data = await resp.json(); } catch { data = null; } }
  if (resp.ok) return { ok: true, status: resp.status, data };
  const err = data?.error || { message: `HTTP ${resp.status}` };
  return { ok: false, status: resp.status, data, error: err };
}

// The API words its field complaints in English; on a Chinese page the common ones are shown in
// Chinese (anything else as the API said it).
const FIELD_MESSAGES_ZH = [
  [/^must not be empty$/, () => '不能为空'],
  [/^is required$/, () => '必填'],
  [/^must not be negative$/, () => '不能为负数'],
  [/^must not contain control characters$/, () => '不能包含控制字符'],
  [/^must be at most (\d+) characters$/, (m) => `最多 ${m[1]} 个字符`],
  [/^must be at least (\d+) characters$/, (m) => `至少 ${m[1]} 个字符`],
  [/^must lie between (\d+) and (\d+)$/, (m) => `必须在 ${m[1]} 至 ${m[2]} 年之间`],
  [/^must not exceed complaints_received$/, () => '不能超过受理投诉数'],
  [/^must be within the campaign day$/, () => '必须在活动当天之内'],
  [/^must be after (starts_at|opens_at|the opening time)$/, () => '必须晚于开始时间'],
  [/^must not be before the start$/, () => '不能早于开始时间'],
  [/^must not be before the day it was received$/, () => '不能早于受理日期'],
  [/^must be a time written HH:MM$/, () => '时间格式应为 HH:MM'],
  [/^must be between (-?[\d.]+) and (-?[\d.]+)$/, (m) => `应在 ${m[1]} 到 ${m[2]} 之间`],
  [/^names nothing that exists$/, () => '所指对象不存在'],
  [/^no such material in this campaign$/, () => '本次活动没有这种物资'],
  [/^is set only for settled, referred or closed$/, () => '仅在已调解、已移交或已结案时填写'],
  [/^is recorded only when settling$/, () => '仅在调解成功时填写'],
  [/^no stored log entry /, () => '要更正的记录还没有保存到服务器'],
  [/^log entry .* belongs to another venue$/, () => '要更正的记录属于其他会场'],
  [/^an entry cannot correct itself$/, () => '记录不能更正自己'],
  [/^a void carries no (figures|materials)$/, () => '作废记录不填数字和物资'],
  [/^only a correction \(with corrects\)/, () => '只有更正记录才填写此项'],
  [/^venue \d+ has no booth \d+$/, () => '这个展位不在所选会场'],
  [/^this booth already has a closing tally/, () => '这个展位已经有收尾统计，请修改原有的一条'],
  [/^this venue already has a closing tally/, () => '这个会场已经有收尾统计，请修改原有的一条'],
  [/^give both width and depth, or neither/, () => '长和宽要么都填，要么都不填（尚无平面图）'],
  [/^a file may be at most (\d+) bytes$/, (m) => `文件不能超过 ${Math.floor(Number(m[1]) / 1048576)} MB`],
  [/^only photos \(JPEG, PNG, WebP\) and PDF files are accepted/, () => '只接受照片（JPEG、PNG、WebP）或 PDF 文件'],
  [/^must be a phone number \(digits only\)$/, () => '只能填写电话号码（数字）'],
  [/^must have (\d+) to (\d+) digits$/, (m) => `应为 ${m[1]} 到 ${m[2]} 位数字`],
  [/^a name or phone is kept only when the consumer ticks the consent statement$/, () => '消费者勾选同意后才能记录姓名和电话'],
  [/^must be \d+ letters and digits of the receipt alphabet$/, () => '不是有效的案件编号'],
  [/^this receipt code is already in use$/, () => '这个案件编号已被使用'],
  [/^must not be before the day the case was received$/, () => '不能早于受理日期'],
  [/^is required when settling/, () => '和解时必填（未挽回金额填 0）'],
  [/^the 12315 case number is required$/, () => '必须填写12315案件编号'],
  [/^is recorded only when referring to 12315$/, () => '仅在转12315时填写'],
  [/^a case that is \w+ cannot move to \w+$/, () => '当前进度不能改为所选进度'],
];

// What the JSON reader says of a value of the wrong type, in plain words (both languages).
const SHAPE_MESSAGES = [
  [/^invalid type: null/, 'required'],
  [/^missing field/, 'required'],
  [/^invalid type: .*expected (f32|f64|i8|i16|i32|i64|u8|u16|u32|u64|a number|an integer)/, 'must_be_number'],
  [/^invalid (value|type)/, 'invalid_value'],
  [/^unknown variant/, 'invalid_value'],
  [/^unknown field/, 'invalid_value'],
];

/** A field complaint of the API in the page's language. */
export function fieldMessage(text) {
  if (typeof text !== 'string') return text;
  for (const [re, key] of SHAPE_MESSAGES) if (re.test(text)) return t(key);
  if (lang !== 'zh') return text;
  for (const [re, zh] of FIELD_MESSAGES_ZH) {
    const m = text.match(re);
    if (m) return zh(m);
  }
  return text;
}

/** A field the API names (`name`, `figures.visitors`, `venue_ids.3`) in the page's words. */
export function fieldLabel(key) {
  const parts = key.split('.').filter((p) => !/^\d+$/.test(p));
  const last = parts[parts.length - 1] || key;
  return strings[`field_${last}`] ?? strings[last] ?? strings[last.replace(/_id$/, '')] ?? last;
}

/** One readable line from an API error: every named field in words, else a plain failure. */
export function errorText(error) {
  if (!error) return '';
  const sep = lang === 'en' ? ': ' : '：';
  const fields = Object.entries(error.fields || {}).map(([k, v]) => `${fieldLabel(k)}${sep}${fieldMessage(v)}`);
  return fields.length ? fields.join(lang === 'en' ? '; ' : '；') : t('error_other');
}

/**
 * Why a request failed, in plain words of the page's language, for a failure that names no
 * field (the API's own message is for programs: it is not shown).
 */
export function failureText(r) {
  if (r.network) return t('network_error');
  const words = { 400: 'error_bad_request', 403: 'error_forbidden', 404: 'error_not_found', 409: 'error_in_use', 413: 'error_too_large', 429: 'error_busy' };
  return t(words[r.status] || 'error_other');
}

/** Shows a message in a status element; `kind` is 'ok' or 'error'. */
export function say(el, text, kind) {
  if (!el) return;
  el.textContent = text;
  el.className = `msg ${kind || ''}`;
}

// Signing out ends the session on the server, then goes to the sign-in page.
document.getElementById('signout')?.addEventListener('click', async () => {
  await api('POST', '/api/v1/auth/logout', {});
  // The offline copy of the lead page belongs to this user: it goes with the session.
  try {
    for (const k of await caches.keys()) if (k.startsWith('eventday-lead-')) await caches.delete(k);
  } catch { /* no Cache API (plain http on another host) */ }
  sessionStorage.removeItem(CSRF_KEY);
  localStorage.removeItem(CSRF_KEY);
  location.assign('/login');
});

// Data tables: scrolling cue and keyboard access, filters on long tables.
import('./tables.js');
