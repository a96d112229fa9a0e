// Job: its curves, drawn from its whole history read in one request (GET /api/v1/jobs/{id}/history) and then
// kept live by its event stream from the history's last event on (so the stream replays nothing drawn), the
// state timeline, the final formula, cancel/delete, and the history as CSV or JSON (GET /api/v1/jobs/{id}/metrics).
import { api, el, num, mayChange, dataUrl } from './api.js';
import { chart, colour, join, smoother, forLog } from './charts.js';

const id = document.body.dataset.jobId;
const $ = name => document.getElementById(name);
const logY = $('log-y');
const xTime = $('x-time');
const container = $('chart');
const smoothing = $('smoothing');
/** Other jobs drawn on the same axes: job id → its progress reports (from /metrics). */
const overlays = new Map();
const FINAL = ['completed', 'failed', 'cancelled'];

/**
 * The job's progress reports so far, in step order, as columns: what the charts draw. time is milliseconds since
 * 1970 (null for a report written before reports had one); mse[k] and threshold[k] belong to ranges[k].
 */
const data = { step: [], time: [], loss: [], validationMse: [], membersSucceeded: [], population: [], mse: [], threshold: [] };
let ranges = null;
let curves = null;
let members = null;
let job = null;

function count() {
  return data.step.length;
}

/** The ranges the curves show, fixed by the first reports seen (the history's, else the stream's first). */
function setRanges(names) {
  if (ranges !== null) return;
  ranges = names;
  data.mse = names.map(() => []);
  data.threshold = names.map(() => []);
}

/** Appends one report; `figures(k)` gives range k's [mse, threshold]. False if it is not after the last one. */
function add(step, time, loss, validationMse, membersSucceeded, population, figures) {
  const n = count();
  if (n > 0 && step <= data.step[n - 1]) return false; // a replay after reconnecting
  data.step.push(step);
  data.time.push(time ?? null);
  data.loss.push(loss ?? null);
  data.validationMse.push(validationMse ?? null);
  data.membersSucceeded.push(membersSucceeded ?? null);
  data.population.push(population ?? null);
  for (let k = 0; k < ranges.length; k++) {
    const [mse, threshold] = figures(k);
    data.mse[k].push(mse ?? null);
    data.threshold[k].push(threshold ?? null);
  }
  return true;
}

/**
 * Report i's x: its step, or with "x as wall time" the seconds since the job's first report; a report without a
 * time (written before reports had one) falls back to its step.
 */
function xAt(i) {
  const t = data.time[i];
  const first = data.time[0];
  if (!xTime.checked || t === null || first === null) return data.step[i];
  return (t - first) / 1000;
}

/** The same for another job's report (an overlay, from /metrics). */
function xOf(r, first) {
  if (!xTime.checked || !r.time || !first?.time) return r.step;
  return (Date.parse(r.time) - Date.parse(first.time)) / 1000;
}

/** The curves: label, colour, the value of report i, whether it is a threshold (never smoothed). */
function curveList() {
  const list = [
    { label: 'loss', colour: colour(0), value: i => data.loss[i] },
    { label: 'validation MSE', colour: colour(1), value: i => data.validationMse[i] },
  ];
  ranges.forEach((name, k) => {
    list.push({ label: `MSE ${name}`, colour: colour(k + 2), value: i => data.mse[k][i] });
    list.push({ label: `threshold ${name}`, colour: colour(k + 2), value: i => data.threshold[k][i], threshold: true });
  });
  return list;
}

/**
 * uPlot's series and columns: each curve, smoothed (with its raw values faint) when smoothing is on, then the
 * overlays, and `append`, which adds report i to the columns in place (none with overlays: their steps differ,
 * so the table is joined anew). Smoothing runs over every report, in order, before anything is drawn.
 */
function table() {
  const beta = Number(smoothing.value);
  const log = logY.checked;
  const clean = log ? forLog : v => v ?? null;
  const series = [];
  const writers = [];
  for (const curve of curveList()) {
    if (beta > 0 && !curve.threshold) {
      const next = smoother(beta, log);
      series.push({ label: `${curve.label} (raw)`, colour: curve.colour + '55', width: 1 });
      series.push({ label: `${curve.label} (smoothed)`, colour: curve.colour, width: 2 });
      writers.push(i => clean(curve.value(i)), i => next(curve.value(i)));
    } else {
      series.push({ label: curve.label, colour: curve.colour, dash: curve.threshold ? [6, 4] : undefined });
      writers.push(i => clean(curve.value(i)));
    }
  }
  const cols = [[], ...writers.map(() => [])];
  const append = i => {
    cols[0].push(xAt(i));
    for (let k = 0; k < writers.length; k++) cols[k + 1].push(writers[k](i));
  };
  for (let i = 0, n = count(); i < n; i++) append(i);
  if (overlays.size === 0) return { series, cols, append };
  const tables = [cols];
  overlays.forEach((points, other) => {
    series.push({ label: `job ${other} validation MSE`, colour: colour(series.length), dash: [2, 3], spanGaps: true });
    tables.push([points.map(p => xOf(p, points[0])), points.map(p => clean(p.validationMse))]);
  });
  return { series, cols: join(tables), append: null };
}

/** The columns drawn, and how to add a report to them (null: rebuild them). */
let live = null;
/** The members chart's columns: x of each report, and data.membersSucceeded itself. */
let membersData = [[], data.membersSucceeded];
let frame = 0;

function draw() {
  curves?.destroy();
  members?.destroy();
  live = table();
  container.replaceChildren();
  membersData = [Array.from({ length: count() }, (_, i) => xAt(i)), data.membersSucceeded];
  const xLabel = xTime.checked ? 'seconds' : 'step';
  curves = chart(container, { series: live.series, data: live.cols, logY: logY.checked, xLabel, yLabel: 'MSE' });
  $('members-chart').replaceChildren();
  members = chart($('members-chart'), {
    series: [{ label: 'members succeeded', colour: colour(2) }], logY: false, height: 180, xLabel, yLabel: 'members',
    data: membersData,
  });
}

/**
 * Shows what arrived since the last frame, at most once a frame however many reports came: a report itself
 * only appends to the columns, so a burst of reports is not slowed by drawing.
 */
function redraw() {
  frame = 0;
  const last = count() - 1;
  if (last < 0) return;
  const step = data.step[last];
  const steps = job?.spec?.training?.steps || step;
  $('job-progress').max = steps;
  $('job-progress').value = Math.min(step, steps);
  $('job-steps').textContent = `step ${step} / ${steps}, validation MSE ${num(data.validationMse[last])}, `
    + (mae ? `MAE training ${num(mae.training)}, validation ${num(mae.validation)}, test ${num(mae.test)}, ` : '')
    + `${data.membersSucceeded[last]} / ${data.population[last]} members succeeded`;
  if (!curves) {
    draw();
  } else {
    if (!live.append) live = table();
    curves.update(live.cols);
    members.update(membersData);
  }
  container.dataset.points = String(count());
}

function later() {
  if (!frame) frame = requestAnimationFrame(redraw);
}

/** A number-words job's mean absolute errors per split at its last streamed report (docs/api.md, "Number words"). */
let mae = null;

/** A report from the event stream. */
function progress(report) {
  if (report.mae) mae = report.mae;
  setRanges((report.extrapolation || []).map(r => r.range));
  const added = add(report.step, report.time ? Date.parse(report.time) : null, report.loss, report.validationMse,
    report.membersSucceeded, report.population,
    k => [report.extrapolation?.[k]?.mse, report.extrapolation?.[k]?.threshold]);
  if (!added) return;
  const i = count() - 1;
  if (curves) {
    membersData[0].push(xAt(i));
    live.append?.(i);
  }
  later();
}

function state(name, payload) {
  const words = Object.entries(payload).filter(([k]) => k !== 'state').map(([k, v]) => `${k}: ${v}`).join(', ');
  $('states').append(el('li', {}, el('strong', {}, payload.state || name), words ? ` (${words})` : ''));
  if (payload.state) $('job-state').textContent = payload.state;
}

function finished(name, payload) {
  state(name, payload);
  if (name === 'completed') {
    $('job-formula').replaceChildren(payload.formula ? el('code', {}, payload.formula) : 'no formula',
      payload.exact ? ' (exact)' : ' (not exact)', ' · ', el('a', { href: `/models/${payload.modelId}` }, `model ${payload.modelId}`));
  } else {
    $('job-formula').textContent = name === 'failed' ? `none: ${payload.reason || 'failed'}` : 'none: cancelled';
  }
  loadJob();
}

/** An event that is not a progress report; true if it is the job's last. */
function event(name, payload) {
  if (FINAL.includes(name)) {
    finished(name, payload);
    return true;
  }
  state(name, payload);
  return false;
}

/**
 * The whole history in one request: its progress rows become the columns, its other events the timeline.
 * Answers the last event's id (the stream goes on after it) and whether the job is over.
 */
async function loadHistory() {
  const history = await api('GET', `/jobs/${id}/history`);
  const at = name => history.columns.indexOf(name);
  const [step, time, loss, val, succeeded, population] =
    ['step', 'time', 'loss', 'validationMse', 'membersSucceeded', 'population'].map(at);
  const first = history.columns.length;
  if (history.progress.length > 0) setRanges(history.ranges);
  for (const row of history.progress) {
    add(row[step], row[time], row[loss], row[val], row[succeeded], row[population],
      k => [row[first + 2 * k], row[first + 2 * k + 1]]);
  }
  if (count() > 0) later();
  let over = false;
  for (const e of history.events) over = event(e.event, e.data) || over;
  return { last: history.lastEventId, over };
}

/** The event stream, from `after` (the history's last event) on. */
function listen(after) {
  const stream = new EventSource(`/api/v1/jobs/${id}/events` + (after ? `?lastEventId=${after}` : ''));
  stream.addEventListener('progress', e => progress(JSON.parse(e.data)));
  stream.addEventListener('state', e => state('state', JSON.parse(e.data)));
  for (const name of FINAL) {
    stream.addEventListener(name, e => {
      stream.close(); // the stream ends after its final event; EventSource would otherwise reconnect
      finished(name, JSON.parse(e.data));
    });
  }
  stream.onerror = () => {
    if (stream.readyState === EventSource.CLOSED) $('job-error').textContent = 'The event stream closed; reload to resume.';
  };
}

async function loadJob() {
  try {
    job = await api('GET', `/jobs/${id}`);
  } catch (e) {
    $('job-error').textContent = e.message;
    return;
  }
  $('job-name').textContent = job.name || '';
  $('job-state').textContent = job.state + (job.failureReason ? `: ${job.failureReason}` : '');
  const task = job.spec?.task;
  $('job-task').textContent = task?.kind === 'number-words' ? `number words to values, split `
      + `${task.words.train} / ${task.words.validation} / ${task.words.test} from seed ${task.words.seed}`
    : task?.kind === 'sequence' ? `sequence ${task.sequence.op}, trained on length `
      + `${task.sequence.trainLength}, tested on ${task.sequence.testLengths.join(', ')}`
      + (task.sequence.testRanges ? `, and at length ${task.sequence.trainLength} on values over ${task.sequence.testRanges
        .map(r => r.map(i => `[${i.join(', ')}]`).join(' ∪ ')).join(', ')}` : '')
    : task?.kind === 'dataset' ? `${task.data.target} from ${task.data.inputs.join(', ')} of dataset ${task.data.dataset}`
    : task?.expression || `arithmetic ${task?.op || ''}`;
  $('job-model').textContent = job.architecture || '';
  const actions = $('job-actions');
  actions.replaceChildren();
  if (mayChange(job.owner)) {
    const active = job.state === 'QUEUED' || job.state === 'RUNNING';
    actions.append(el('button', {
      type: 'button', id: active ? 'cancel' : 'delete', class: active ? '' : 'danger',
      onclick: async () => {
        try {
          await api(active ? 'POST' : 'DELETE', active ? `/jobs/${id}/cancel` : `/jobs/${id}`);
          if (active) loadJob(); else location.assign('/jobs');
        } catch (e) { $('job-error').textContent = e.message; }
      },
    }, active ? 'Cancel' : 'Delete'));
  }
}

/** The history as the API answers it, and as CSV: one row per report, a column per figure and range. */
function csv(metrics) {
  const names = (metrics.progress[0]?.extrapolation || []).map(r => r.range);
  const header = ['step', 'loss', 'validationMse', ...names.flatMap(n => [`mse ${n}`, `threshold ${n}`, `success ${n}`]),
    'membersSucceeded', 'population', 'bestMember', 'memberStepsPerSecond', 'reinitialisations'];
  const quote = v => (v === null || v === undefined) ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v);
  const rows = metrics.progress.map(p => [p.step, p.loss, p.validationMse,
    ...names.flatMap((_, i) => [p.extrapolation[i]?.mse, p.extrapolation[i]?.threshold, p.extrapolation[i]?.success]),
    p.membersSucceeded, p.population, p.bestMember, p.memberStepsPerSecond, p.reinitialisations]);
  return [header, ...rows].map(r => r.map(quote).join(',')).join('\n') + '\n';
}

function download(link, type, render) {
  link.addEventListener('click', async event => {
    event.preventDefault();
    try {
      const metrics = await api('GET', `/jobs/${id}/metrics`);
      link.href = dataUrl(type, render(metrics));
      el('a', { href: link.href, download: link.getAttribute('download') }).click();
    } catch (e) { $('job-error').textContent = e.message; }
  });
}

download($('download-csv'), 'text/csv', csv);
download($('download-json'), 'application/json', m => JSON.stringify(m, null, 2));
logY.addEventListener('change', () => { if (curves) draw(); });
xTime.addEventListener('change', () => { if (curves) draw(); });
smoothing.addEventListener('input', () => {
  $('smoothing-value').textContent = smoothing.value;
  if (curves) draw();
});
$('overlay').addEventListener('change', async event => {
  const other = event.target.value;
  if (!other) return;
  try {
    overlays.set(other, (await api('GET', `/jobs/${other}/metrics`)).progress);
    if (curves) draw();
  } catch (e) { $('job-error').textContent = e.message; }
  event.target.value = '';
});
api('GET', '/jobs?size=100').then(list => {
  for (const j of list.items.filter(j => String(j.id) !== id)) {
    $('overlay').append(el('option', { value: j.id }, `#${j.id} ${j.name || ''} (${j.state})`));
  }
}).catch(e => { $('job-error').textContent = e.message; });
loadJob();
loadHistory().then(({ last, over }) => { if (!over) listen(last); }, e => {
  $('job-error').textContent = `The history could not be read (${e.message}); showing the live events only.`;
  listen(0);
});
