// Model: the formula typeset, the picture of extrapolation (prediction from POST /predict against the task's
// exact target over a range the user picks, log axes, the training range shaded), the weights as heatmaps
// (from the export), and predict and evaluate forms.
import { api, el, num, showProblem, clearErrors, caller } from './api.js';
import { chart, colour } from './charts.js';
import { compile, mathml } from './formula.js';

const id = document.body.dataset.modelId;
const $ = name => document.getElementById(name);
const MAX_POINTS = 1000;
/** An MLP of two hidden layers of 8 ReLU units: what an ordinary network does outside its training range. */
const MLP = [{ unit: 'DENSE', out: 8, activation: 'relu' }, { unit: 'DENSE', out: 8, activation: 'relu' },
  { unit: 'DENSE', out: 1, activation: 'none' }];
let model = null;
let picture = null;
/** The model drawn beside this one (?compare=<model id>): the MLP the page trained on the same data. */
let comparison = Number(new URLSearchParams(location.search).get('compare')) || null;

/** Every training interval of every variable, as [lo, hi]. */
function trainingHull(task) {
  const intervals = Object.values(task.variables || {}).flat();
  if (intervals.length === 0) return null;
  return [Math.min(...intervals.map(r => r[0])), Math.max(...intervals.map(r => r[1]))];
}

/** A sequence model (docs/sequence.md): a recurrent cell; its formula is a recurrence, its inputs sequences. */
const sequence = m => m.task.kind === 'sequence' || words(m);
/** A number-words model: it reads numbers in words and is scored on its own three splits. */
const words = m => m.task.kind === 'number-words';

function show(m) {
  $('model-name').textContent = `${m.name} v${m.version}`;
  // a recurrence ("h0[t] = h0[t−1] + x0[t], h0[0] = 0; y = h0[T]") is shown as its text, one equation a line
  $('formula').replaceChildren(!m.formula?.text ? 'none (the weights answer)'
    : sequence(m) ? el('pre', {}, m.formula.text.split('; ').join('\n')) : mathml(m.formula.text));
  $('exact').textContent = m.formula?.exact ? 'yes: predictions come from the formula' : 'no: predictions come from the weights';
  $('task').textContent = words(m) ? `number words (1 to 999, 29 tokens) to values, split ${m.task.words.train} / `
      + `${m.task.words.validation} / ${m.task.words.test} from seed ${m.task.words.seed}`
    : sequence(m) ? `sequence ${m.task.sequence.op} (${m.task.sequence.inputs} value(s) a step), `
      + `trained on length ${m.task.sequence.trainLength}, tested on ${m.task.sequence.testLengths.join(', ')}`
      + (m.task.sequence.testRanges ? `, and at length ${m.task.sequence.trainLength} on values over ${m.task.sequence.testRanges
        .map(r => r.map(i => `[${i.join(', ')}]`).join(' ∪ ')).join(', ')}` : '')
    : m.task.kind === 'arithmetic' ? `arithmetic ${m.task.op} (n = ${m.task.inputSize})`
    : m.task.kind === 'dataset' ? `${m.task.data.target} from ${m.task.data.inputs.join(', ')} of dataset `
      + `${m.task.data.dataset} "${m.task.data.name}" (${m.task.data.rows} rows)`
    : `${m.task.expression} on ${Object.entries(m.task.variables).map(([k, v]) => `${k} ∈ ${JSON.stringify(v)}`).join(', ')}`;
  $('architecture').textContent = m.architecture.description;
  $('source').replaceChildren(m.sourceJobId ? el('a', { href: `/jobs/${m.sourceJobId}` }, `job ${m.sourceJobId}`) : 'imported');
  $('tags').textContent = (m.tags || []).join(', ') || 'none';
  $('aliases').textContent = (m.aliases || []).join(', ') || 'none';
  $('labels-tags').value = (m.tags || []).join(', ');
  $('labels-aliases').value = (m.aliases || []).join(', ');
  $('predict-inputs').value = JSON.stringify(words(m) ? [{ text: 'seven hundred and twelve' }] : sequence(m)
    ? [m.task.sequence.op === 'count' ? { symbols: [0, 1, 0] } : { x: [1, 2, 3].map(t => m.variables.map(() => t)) }]
    : [Object.fromEntries(m.variables.map(v => [v, 3]))]);
  if (words(m)) {
    // evaluated on its own training, validation and test splits: nothing to choose
    for (const field of ['evaluate-ranges', 'evaluate-samples', 'evaluate-seed']) $(field).closest('label').hidden = true;
  } else if (sequence(m)) {
    // evaluated on lengths, not ranges
    const lengths = $('evaluate-ranges');
    lengths.dataset.field = 'lengths';
    lengths.value = '[1000, 10000]';
    lengths.previousSibling.textContent = 'Lengths ';
    $('evaluate-samples').value = 100;
  }
}

/** The formula in the chosen format (GET /models/{id}/formula?format=), for copying into a paper or a program. */
async function showFormat() {
  $('format-error').textContent = '';
  $('format-status').textContent = '';
  try {
    const f = await api('GET', `/models/${id}/formula?format=${encodeURIComponent($('format').value)}`);
    $('format-result').textContent = f.formula;
    $('format-help').textContent = `complexity ${f.complexity}; variables ${f.variables.join(', ')}`
      + (f.approximateConstants > 0 ? `; ${f.approximateConstants} constant(s) with no exact form, written as floats` : '');
  } catch (e) {
    $('format-result').textContent = '';
    $('format-error').textContent = e.message;
  }
}

/** A search model's front (metrics.front): one row per candidate architecture. */
function showFront(front) {
  $('front').hidden = !Array.isArray(front) || front.length === 0;
  if ($('front').hidden) return;
  const mse = v => v === null || v === undefined ? '—' : num(v);
  $('front-rows').replaceChildren(...front.map(f => el('tr', f.served ? { class: 'served' } : {},
    el('td', {}, f.architecture),
    el('td', {}, f.formula || '(none)'),
    el('td', {}, f.complexity ?? '—'),
    el('td', {}, f.exact ? 'yes' : 'no'),
    el('td', {}, mse(f.validationMse)),
    el('td', {}, (f.extrapolationMse || []).length ? f.extrapolationMse.map(mse).join(', ') : '—'),
    el('td', {}, f.steps),
    el('td', {}, f.served ? 'served' : ''))));
}

/** Prediction and exact target with every variable set to x, x from `from` to `to` (log-spaced when positive). */
async function draw(from, to, points) {
  const form = $('picture');
  clearErrors(form);
  $('picture-error').textContent = '';
  if (model.task.kind !== 'expression') {
    $('picture-error').textContent = model.task.kind === 'dataset'
      ? 'The picture needs an exact target off the training rows; this model learned from a dataset, which has none '
        + '(evaluate it on a held-out dataset instead).'
      : words(model) ? 'The picture needs an expression task; this model reads numbers in words: evaluate it on its '
        + 'splits below.'
      : sequence(model) ? 'The picture needs an expression task; this is a sequence model: evaluate it on lengths below.'
      : 'The picture needs an expression task; this model learned the arithmetic task.';
    return;
  }
  if (!(from < to)) {
    showProblem(form, { field: 'to', message: `"to" must be above "from" (${from})`, body: {} }, $('picture-error'));
    return;
  }
  const log = from > 0;
  const xs = Array.from({ length: points }, (_, i) => log
    ? from * Math.pow(to / from, i / (points - 1)) : from + (to - from) * i / (points - 1));
  const exact = compile(model.task.expression);
  const rows = xs.map(x => Object.fromEntries(model.variables.map(v => [v, x])));
  let predicted;
  try {
    predicted = (await api('POST', `/models/${id}/predict`, { inputs: rows })).outputs;
  } catch (e) {
    $('picture-error').textContent = e.message;
    return;
  }
  const target = rows.map(r => exact(r));
  const series = [{ label: 'prediction', colour: colour(0) }, { label: 'exact target', colour: colour(2), dash: [6, 4] }];
  const data = [xs, predicted, target];
  if (comparison) {
    try {
      data.push((await api('POST', `/models/${comparison}/predict`, { inputs: rows })).outputs);
      series.push({ label: `MLP (model ${comparison})`, colour: colour(1) });
    } catch (e) {
      $('picture-error').textContent = `The MLP's prediction: ${e.message}`;
    }
  }
  const positive = data.slice(1).every(column => column.every(y => y > 0));
  const hull = trainingHull(model.task);
  picture?.destroy();
  $('picture-chart').replaceChildren();
  picture = chart($('picture-chart'), {
    series, data, logX: log, logY: positive, xLabel: `x (every variable: ${model.variables.join(', ')} = x)`,
    yLabel: 'y', shade: hull ? [[Math.max(hull[0], from), Math.min(hull[1], to), 'training range']] : [],
  });
  $('picture-chart').dataset.points = String(xs.length);
  const worst = Math.max(...target.map((y, i) => Math.abs(predicted[i] - y) / Math.max(Math.abs(y), 1e-300)));
  $('picture-help').textContent = `${xs.length} points; largest relative error ${num(worst)}`
    + (positive ? '' : ' (linear y: some values are not positive)');
}

/** A tensor as a grid of cells: blue −1, white 0, red +1, each cell's value in its title. */
function heatmap(layer, tensor) {
  const [rows, cols] = tensor.shape.length === 2 ? tensor.shape : [1, tensor.shape[0]];
  const cell = Math.max(2, Math.min(16, Math.floor(480 / cols)));
  const canvas = el('canvas', { width: cols * cell, height: rows * cell, role: 'img',
    'aria-label': `${layer.unit} ${tensor.name}, ${rows} × ${cols}: ${tensor.values.slice(0, 64).map(num).join(', ')}${tensor.values.length > 64 ? ', …' : ''}` });
  const ctx = canvas.getContext('2d');
  tensor.values.forEach((v, k) => {
    const t = Math.max(-1, Math.min(1, v));
    const fade = Math.round(255 * (1 - Math.abs(t)));
    ctx.fillStyle = t >= 0 ? `rgb(255, ${fade}, ${fade})` : `rgb(${fade}, ${fade}, 255)`;
    ctx.fillRect((k % cols) * cell, Math.floor(k / cols) * cell, cell, cell);
  });
  return el('figure', {}, canvas, el('figcaption', {}, `${layer.unit}(${layer.in}→${layer.out}) ${tensor.name} [${tensor.shape.join(' × ')}]`));
}

async function weights() {
  const document = await api('GET', `/models/${id}/export`);
  $('weights').replaceChildren(...document.weights.flatMap(layer => layer.tensors.map(t => heatmap(layer, t))));
}

/** Trains the MLP on this model's task (a job like any other), waits for it, then draws it beside this model. */
async function compareWithMlp() {
  const button = $('compare-mlp');
  button.disabled = true;
  try {
    const job = await api('POST', '/jobs', {
      name: `mlp-for-model-${id}`,
      task: { expression: model.task.expression, variables: Object.fromEntries(
        Object.entries(model.task.variables).map(([k, v]) => [k, { train: v }])) },
      model: { layers: MLP },
      training: { steps: 10000, population: 4, seed: 0, earlyStop: false },
    });
    const status = $('mlp-status');
    status.replaceChildren('MLP: ', el('a', { href: `/jobs/${job.id}` }, `job ${job.id}`), el('span', {}, ' queued'));
    let current = job;
    while (current.state === 'QUEUED' || current.state === 'RUNNING') {
      await new Promise(resolve => setTimeout(resolve, 1000));
      current = await api('GET', `/jobs/${job.id}`);
      status.lastChild.textContent = ` ${current.state.toLowerCase()}, step ${current.progress?.step ?? 0} / ${current.spec.training.steps}`;
    }
    if (current.state !== 'SUCCEEDED') throw new Error(`the MLP job ended ${current.state}: ${current.failureReason || ''}`);
    comparison = current.modelId;
    history.replaceState(null, '', `?compare=${comparison}`);
    status.lastChild.textContent = ` done: model ${comparison}`;
    $('picture').requestSubmit();
  } catch (e) {
    $('picture-error').textContent = e.message;
  } finally {
    button.disabled = false;
  }
}

function readJson(input) {
  try { return JSON.parse(input.value); } catch {
    throw { field: input.dataset.field, message: `${input.dataset.field} is not JSON`, body: {} };
  }
}

$('picture').addEventListener('submit', e => {
  e.preventDefault();
  const points = Math.max(2, Math.min(MAX_POINTS, Number($('points').value) || 200));
  draw(Number($('from').value), Number($('to').value), points);
});

$('compare-mlp').addEventListener('click', compareWithMlp);
$('format').addEventListener('change', showFormat);
$('formats-form').addEventListener('submit', e => { e.preventDefault(); showFormat(); });
$('format-copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('format-result').textContent);
    $('format-status').textContent = 'copied';
  } catch {
    // no clipboard (an insecure origin, or permission refused): select the text for the user to copy
    getSelection().selectAllChildren($('format-result'));
    $('format-status').textContent = 'selected: press Ctrl+C to copy';
  }
});

/** Tags and aliases (admin): each list replaces the model's, as PATCH /models/{id} does. */
$('labels-form').addEventListener('submit', async e => {
  e.preventDefault();
  clearErrors(e.target);
  $('labels-error').textContent = '';
  const list = input => input.value.split(',').map(t => t.trim()).filter(t => t);
  try {
    model = await api('PATCH', `/models/${id}`, { tags: list($('labels-tags')), aliases: list($('labels-aliases')) });
    show(model);
  } catch (problem) { showProblem(e.target, problem, $('labels-error')); }
});

$('predict-form').addEventListener('submit', async e => {
  e.preventDefault();
  clearErrors(e.target);
  try {
    const answer = await api('POST', `/models/${id}/predict`, { inputs: readJson($('predict-inputs')) });
    $('predict-result').textContent = JSON.stringify(answer, null, 2);
  } catch (problem) { showProblem(e.target, problem, $('predict-error')); }
});

$('evaluate-form').addEventListener('submit', async e => {
  e.preventDefault();
  clearErrors(e.target);
  $('evaluate-error').textContent = '';
  try {
    const answer = await api('POST', `/models/${id}/evaluate`, words(model) ? {} : {
      [sequence(model) ? 'lengths' : 'ranges']: readJson($('evaluate-ranges')),
      samples: Number($('evaluate-samples').value), seed: Number($('evaluate-seed').value),
    });
    $('evaluate-result').textContent = JSON.stringify(answer, null, 2);
  } catch (problem) { showProblem(e.target, problem, $('evaluate-error')); }
});

try {
  model = await api('GET', `/models/${id}`);
  show(model);
  $('labels-form').hidden = caller.role !== 'admin';
  $('compare-mlp').hidden = model.task.kind !== 'expression' || !(caller.role === 'train' || caller.role === 'admin');
  const hull = trainingHull(model.task);
  if (hull) {
    $('from').value = hull[0];
    $('to').value = hull[0] > 0 ? hull[1] * 100 : hull[1] + 100 * (hull[1] - hull[0]);
    await draw(Number($('from').value), Number($('to').value), 200);
  }
  $('formats').hidden = !model.formula?.tree || sequence(model); // a recurrence has a text form only
  if (!$('formats').hidden) await showFormat();
  showFront(model.metrics?.front);
  await weights();
} catch (e) {
  $('model-error').textContent = e.message;
}
