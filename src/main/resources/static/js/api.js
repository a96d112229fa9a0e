// The dashboard's one way to the API: the same /api/v1 calls as any client, authenticated by the session cookie,
// with the page's CSRF token on every state-changing call. Errors are the API's problem details.

const csrf = document.querySelector('meta[name="_csrf"]')?.content || '';

/** Who is signed in (from the page), to show only the buttons the caller's role may use. */
export const caller = { id: document.body.dataset.callerId || '', role: document.body.dataset.role || '' };

/** True if the caller may cancel or delete what `owner` made (the API checks it again). */
export function mayChange(owner) {
  return caller.role === 'admin' || (caller.role === 'train' && owner === caller.id);
}

/** An RFC 9457 problem the API answered. */
export class Problem extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.field = this.body.field || null;
  }
}

export async function api(method, path, body) {
  return send(method, path, body === undefined ? undefined : JSON.stringify(body), 'application/json');
}

/** POSTs a file (or any Blob) as the body itself, with its type, e.g. a CSV to /datasets. */
export async function upload(path, file, type) {
  return send('POST', path, file, type);
}

async function send(method, path, body, type) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = type;
  if (method !== 'GET' && csrf) headers['X-CSRF-TOKEN'] = csrf;
  const response = await fetch('/api/v1' + path, { method, headers, credentials: 'same-origin', body });
  if (response.status === 401) {
    location.assign('/sign-in');
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { detail: text }; }
  }
  if (!response.ok) throw new Problem(response.status, data);
  return data;
}

/** Makes an element: el('td', {class: 'x'}, 'text', child). */
export function el(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) e.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return e;
}

/** A figure for people: 4 significant digits, exponents for the very large and small. */
export function num(x) {
  if (x === null || x === undefined) return '–';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e5 || a < 1e-3 ? x.toExponential(3) : String(Number(x.toPrecision(4)));
}

export function age(iso) {
  if (!iso) return '';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

/**
 * Shows a problem beside the form field it names: the element whose data-field is the longest prefix of the
 * problem's `field` (task.variables.a.train[1] lands on task.variables.a.train, else task.variables); a problem
 * without a field, or naming none of them, goes to `fallback`.
 */
export function showProblem(form, problem, fallback) {
  clearErrors(form);
  const field = problem.field || '';
  let best = null;
  for (const e of form.querySelectorAll('[data-field]')) {
    if (e.closest('[hidden], fieldset[disabled]')) continue; // a part of the form not in use now
    const f = e.dataset.field;
    if (field === f || field.startsWith(f + '.') || field.startsWith(f + '[')) {
      if (!best || f.length > best.dataset.field.length) best = e;
    }
  }
  const message = problem.message + (problem.body?.limit !== undefined ? ` (limit: ${problem.body.limit})` : '');
  if (!best) {
    fallback.textContent = message;
    return;
  }
  best.setAttribute('aria-invalid', 'true');
  (errorBeside(best) || fallback).textContent = message;
  best.focus?.();
}

function errorBeside(e) {
  const container = e.closest('.field') || e.parentElement;
  return container.querySelector(':scope > .error');
}

export function clearErrors(form) {
  form.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
  form.querySelectorAll('.error').forEach(e => { e.textContent = ''; });
}

/** A data: URL for a download link (the page's CSP allows no blob fetches, and links need none). */
export function dataUrl(type, text) {
  return `data:${type};charset=utf-8,` + encodeURIComponent(text);
}
