// Jobs: the API's job list, newest first, paged, filtered by state and name, refreshing itself every 2 s while the
// box is ticked and the page is visible; cancel and delete for the jobs the caller may change.
import { api, el, num, age, mayChange } from './api.js';

const SIZE = 20;
const body = document.querySelector('#jobs tbody');
const state = document.getElementById('state');
const name = document.getElementById('name');
const auto = document.getElementById('auto');
const error = document.getElementById('jobs-error');
const info = document.getElementById('page-info');
const prev = document.getElementById('prev');
const next = document.getElementById('next');
const initial = new URLSearchParams(location.search);
let page = Math.max(0, Number.parseInt(initial.get('page'), 10) || 0);
state.value = initial.get('state') || '';
name.value = initial.get('name') || '';
let timer = null;

function task(spec) {
  const t = spec?.task || {};
  if (t.kind === 'arithmetic') return `arithmetic ${t.op} (n = ${t.inputSize})`;
  if (t.kind === 'dataset') return `${t.data.target} from dataset ${t.data.dataset}`;
  if (t.kind === 'number-words') return 'number words';
  if (t.kind === 'sequence') return `sequence ${t.sequence.op} (length ${t.sequence.trainLength})`;
  return t.expression || t.preset || '';
}

function actions(job) {
  if (!mayChange(job.owner)) return [];
  const active = job.state === 'QUEUED' || job.state === 'RUNNING';
  const act = (label, method, path, cls) => el('button', {
    type: 'button', class: cls, 'aria-label': `${label} job ${job.id}`,
    onclick: async () => {
      try { await api(method, path); } catch (e) { error.textContent = e.message; }
      load();
    },
  }, label);
  return active ? [act('Cancel', 'POST', `/jobs/${job.id}/cancel`)] : [act('Delete', 'DELETE', `/jobs/${job.id}`, 'danger')];
}

function row(job) {
  const p = job.progress || {};
  const steps = job.spec?.training?.steps || 0;
  const step = p.step || 0;
  return el('tr', { 'data-job-id': job.id },
    el('td', {}, el('a', { href: `/jobs/${job.id}` }, `#${job.id}`)),
    el('td', { class: `state state-${job.state}` }, job.state + (job.cancelRequested && job.state === 'RUNNING' ? ' (cancelling)' : '')),
    el('td', {}, job.name || ''),
    el('td', {}, task(job.spec)),
    el('td', {}, job.modelId ? el('a', { href: `/models/${job.modelId}` }, job.architecture || `model ${job.modelId}`) : (job.architecture || '')),
    el('td', {}, el('progress', { max: steps || 1, value: Math.min(step, steps || 1), 'aria-label': `job ${job.id}: step ${step} of ${steps}` }),
      ` ${step} / ${steps}`),
    el('td', {}, num(p.validationMse)),
    el('td', {}, p.population ? `${p.membersSucceeded} / ${p.population}` : ''),
    el('td', { title: job.createdAt }, age(job.createdAt)),
    el('td', {}, actions(job)));
}

async function load() {
  clearTimeout(timer);
  try {
    const query = new URLSearchParams({ page, size: SIZE });
    if (state.value) query.set('state', state.value);
    if (name.value.trim()) query.set('name', name.value.trim());
    const list = await api('GET', `/jobs?${query}`);
    history.replaceState(null, '', `?${query}`);
    body.replaceChildren(...list.items.map(row));
    if (list.items.length === 0) body.append(el('tr', {}, el('td', { colspan: 10 }, 'No jobs.')));
    const pages = Math.max(1, Math.ceil(list.total / SIZE));
    info.textContent = `page ${page + 1} of ${pages} (${list.total} jobs)`;
    prev.disabled = page === 0;
    next.disabled = page + 1 >= pages;
    error.textContent = '';
  } catch (e) {
    error.textContent = e.message;
  }
  if (auto.checked) timer = setTimeout(() => document.hidden ? schedule() : load(), 2000);
}

function schedule() {
  timer = setTimeout(() => document.hidden ? schedule() : load(), 2000);
}

state.addEventListener('change', () => { page = 0; load(); });
name.addEventListener('input', () => { page = 0; load(); });
auto.addEventListener('change', load);
prev.addEventListener('click', () => { page = Math.max(0, page - 1); load(); });
next.addEventListener('click', () => { page += 1; load(); });
document.getElementById('filter').addEventListener('submit', e => { e.preventDefault(); load(); });
load();
