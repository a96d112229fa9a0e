// New job: a form for an expression job (or a preset) that posts to /api/v1/jobs; the API's problem
// details appear beside the field they name. Submit leads to the job's page.
import { api, el, showProblem, clearErrors } from './api.js';

const form = document.getElementById('job-form');
const expression = document.getElementById('expression');
const variables = document.getElementById('variables');
const preset = document.getElementById('preset');
const formError = document.getElementById('form-error');
const FUNCTIONS = new Set(['sqrt']);

/** The expression's variables, in the API's order (by name, digits as numbers). */
function names(text) {
  const found = new Set((text.match(/[A-Za-z_][A-Za-z_0-9]*/g) || []).filter(n => !FUNCTIONS.has(n)));
  return [...found].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** One training-range input per variable of the expression; values typed so far are kept. */
function syncVariables() {
  const kept = {};
  variables.querySelectorAll('input').forEach(i => { kept[i.dataset.name] = i.value; });
  const rows = names(expression.value).map(n => {
    const id = `train-${n}`;
    return el('div', { class: 'field' },
      el('label', { for: id }, `Training range of ${n}`),
      el('input', { id, 'data-name': n, 'data-field': `task.variables.${n}`, value: kept[n] ?? '[1, 2]',
        'aria-describedby': `${id}-error` }),
      el('p', { class: 'error', id: `${id}-error` }));
  });
  variables.replaceChildren(el('p', { class: 'help' }, '[lo, hi], or a union [[lo, hi], [lo, hi]]'), ...rows,
    el('p', { class: 'error', id: 'variables-error' }));
}

/** Parses a JSON field, or names it as the API would (a problem beside it). */
function json(input, what) {
  try {
    return JSON.parse(input.value);
  } catch {
    throw Object.assign(new Error(`${what} is not JSON: write it like [1, 2]`), { field: input.dataset.field, body: {} });
  }
}

function request() {
  const v = id => document.getElementById(id);
  const training = {};
  for (const id of ['steps', 'population', 'seed', 'batchSize', 'evaluateEvery']) {
    if (v(id).value !== '') training[id] = Number(v(id).value);
  }
  if (v('learningRate').value !== '') training.learningRate = Number(v('learningRate').value);
  training.optimizer = v('optimizer').value;
  training.precision = v('precision').value;
  training.earlyStop = v('earlyStop').checked;
  const body = { training };
  if (v('name').value.trim()) body.name = v('name').value.trim();
  if (preset.value) {
    body.task = { preset: preset.value };
    return body;
  }
  const vars = {};
  variables.querySelectorAll('input').forEach(i => { vars[i.dataset.name] = { train: json(i, `the range of ${i.dataset.name}`) }; });
  body.task = { expression: expression.value, variables: vars };
  if (v('extrapolation').value.trim()) body.task.extrapolation = json(v('extrapolation'), 'the extrapolation ranges');
  const kind = form.querySelector('input[name=model-kind]:checked').value;
  body.model = kind === 'auto' ? 'auto' : { layers: json(v('layers'), 'the layers') };
  return body;
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  clearErrors(form);
  const button = document.getElementById('submit');
  button.disabled = true;
  try {
    const job = await api('POST', '/jobs', request());
    location.assign(`/jobs/${job.id}`);
  } catch (e) {
    showProblem(form, e, formError);
  } finally {
    button.disabled = false;
  }
});

expression.addEventListener('input', syncVariables);
preset.addEventListener('change', () => {
  document.getElementById('task-fields').disabled = !!preset.value;
});
syncVariables();
api('GET', '/presets').then(presets => {
  const protocols = Map.groupBy ? Map.groupBy(presets.items, p => p.protocol)
    : presets.items.reduce((m, p) => m.set(p.protocol, [...(m.get(p.protocol) || []), p]), new Map());
  for (const [protocol, list] of protocols) {
    preset.append(el('optgroup', { label: protocol }, list.map(p => el('option', { value: p.name }, `${p.name}: ${p.title}`))));
  }
}).catch(e => { formError.textContent = e.message; });
