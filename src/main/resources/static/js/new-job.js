// New job: a form for an expression job (or a preset), or a data job on an uploaded CSV, that posts to
// /api/v1/jobs; the API's problem details appear beside the field they name. Submit leads to the job's page.
import { api, upload, el, showProblem, clearErrors } from './api.js';

const form = document.getElementById('job-form');
const expression = document.getElementById('expression');
const variables = document.getElementById('variables');
const preset = document.getElementById('preset');
const formError = document.getElementById('form-error');
const datasetFields = document.getElementById('dataset-fields');
const target = document.getElementById('target');
const inputColumns = document.getElementById('input-columns');
const FUNCTIONS = new Set(['sqrt']);
/** The uploaded datasets (the API's answers): the one to learn from, and the held-out extrapolation one. */
const uploaded = { training: null, extrapolation: null };

function kind() {
  return form.querySelector('input[name=task-kind]:checked').value;
}

/**
 * Shows the fields of the chosen task (an expression with its preset, or a dataset); the others are hidden and
 * disabled, so they are neither sent nor named by a problem.
 */
function syncKind() {
  const data = kind() === 'dataset';
  document.getElementById('preset-field').hidden = data;
  preset.disabled = data;
  document.getElementById('task-fields').hidden = data;
  document.getElementById('task-fields').disabled = data || !!preset.value;
  datasetFields.hidden = !data;
  datasetFields.disabled = !data;
  // a data job searches by default (no expression for auto to read); an expression job is auto by default
  const model = form.querySelector('input[name=model-kind]:checked');
  if (data && model.value === 'auto') form.querySelector('input[name=model-kind][value=search]').checked = true;
  if (!data && model.value === 'search') form.querySelector('input[name=model-kind][value=auto]').checked = true;
}

/** The dataset's name: its file's name without .csv (1 to 200 characters, as the API takes). */
function datasetName(file) {
  return (file.name.replace(/\.csv$/i, '').trim() || 'dataset').slice(0, 200);
}

/**
 * Uploads the file chosen in `input` as CSV; shows its rows and columns (in `info`) or the API's problem beside
 * the field. Answers the API's dataset, or null.
 */
async function uploadFile(input, info) {
  const error = document.getElementById(`${input.id}-error`);
  error.textContent = '';
  info.textContent = '';
  input.removeAttribute('aria-invalid');
  const file = input.files[0];
  if (!file) return null;
  info.textContent = `uploading ${file.name}…`;
  try {
    const dataset = await upload(`/datasets?name=${encodeURIComponent(datasetName(file))}`, file, 'text/csv');
    info.textContent = `dataset ${dataset.id} (${dataset.name}): ${dataset.rows} rows; columns `
      + dataset.columns.map(c => c.name).join(', ');
    return dataset;
  } catch (e) {
    info.textContent = '';
    error.textContent = e.message; // the API's detail names the row and column of a bad cell
    input.setAttribute('aria-invalid', 'true');
    return null;
  }
}

/** The target picker and one checkbox per other column (all ticked), for the uploaded dataset. */
function showColumns(dataset) {
  const names = dataset ? dataset.columns.map(c => c.name) : [];
  target.replaceChildren(...names.map(n => el('option', { value: n }, n)));
  target.disabled = names.length === 0;
  if (names.length > 0) target.value = names[names.length - 1];
  inputColumns.replaceChildren(...names.map(n => el('label', {},
    el('input', { type: 'checkbox', value: n, checked: true, 'data-column': n }), ` ${n}`)));
  syncTarget();
}

/** The target is no input: its box is cleared and disabled; a column that stops being the target is an input again. */
function syncTarget() {
  inputColumns.querySelectorAll('input').forEach(box => {
    const isTarget = box.value === target.value;
    if (box.disabled && !isTarget) box.checked = true;
    box.disabled = isTarget;
    if (isTarget) box.checked = false;
  });
}

/** The task of a data job, as the API takes it. */
function datasetTask() {
  if (!uploaded.training) {
    throw Object.assign(new Error('choose a CSV file to learn from'), { field: 'task.dataset', body: {} });
  }
  const task = {
    dataset: String(uploaded.training.id),
    target: target.value,
    inputs: [...inputColumns.querySelectorAll('input:checked')].map(box => box.value),
  };
  const fraction = document.getElementById('validationFraction').value;
  if (fraction !== '') task.validationFraction = Number(fraction);
  if (uploaded.extrapolation) task.extrapolation = { dataset: String(uploaded.extrapolation.id) };
  return task;
}

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
  const kindOfModel = form.querySelector('input[name=model-kind]:checked').value;
  const model = () => kindOfModel === 'layers' ? { layers: json(v('layers'), 'the layers') } : kindOfModel;
  if (kind() === 'dataset') {
    body.task = datasetTask();
    body.model = model();
    return body;
  }
  if (preset.value) {
    body.task = { preset: preset.value };
    return body;
  }
  const vars = {};
  variables.querySelectorAll('input').forEach(i => { vars[i.dataset.name] = { train: json(i, `the range of ${i.dataset.name}`) }; });
  body.task = { expression: expression.value, variables: vars };
  if (v('extrapolation').value.trim()) body.task.extrapolation = json(v('extrapolation'), 'the extrapolation ranges');
  body.model = model();
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
form.querySelectorAll('input[name=task-kind]').forEach(r => r.addEventListener('change', syncKind));
document.getElementById('dataset-file').addEventListener('change', async event => {
  uploaded.training = null;
  showColumns(null);
  uploaded.training = await uploadFile(event.target, document.getElementById('dataset-file-info'));
  showColumns(uploaded.training);
});
document.getElementById('extrapolation-file').addEventListener('change', async event => {
  uploaded.extrapolation = null;
  uploaded.extrapolation = await uploadFile(event.target, document.getElementById('extrapolation-file-info'));
});
target.addEventListener('change', syncTarget);
syncVariables();
syncKind();
api('GET', '/presets').then(presets => {
  const protocols = Map.groupBy ? Map.groupBy(presets.items, p => p.protocol)
    : presets.items.reduce((m, p) => m.set(p.protocol, [...(m.get(p.protocol) || []), p]), new Map());
  for (const [protocol, list] of protocols) {
    preset.append(el('optgroup', { label: protocol }, list.map(p => el('option', { value: p.name }, `${p.name}: ${p.title}`))));
  }
}).catch(e => { formError.textContent = e.message; });
