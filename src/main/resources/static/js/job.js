// Job: live curves over the job's event stream (which replays a finished job's history first), the state
// timeline, the final formula, cancel/delete, and the history as CSV or JSON (GET /api/v1/jobs/{id}/metrics).
import { api, el, num, mayChange, dataUrl } from './api.js';
import { chart, colour, join, smoother, forLog } from './charts.js';

const id = document.body.dataset.jobId;
const $ = name => document.getElementById(name);
const logY = $('log-y');
const xTime = $('x-time');
const container = $('chart');
const smoothing = $('smoothing');
/** Other jobs drawn on the same axes: job id → its validation MSE per step. */
const overlays = new Map();

/** The progress reports so far, in step order, and the charts drawn from them. */
const reports = [];
let ranges = [];
let curves = null;
let members = null;
let job = null;

/**
 * A report's x: its step, or with "x as wall time" the seconds since the first report of its job (`reports`);
 * a report without a time (written before reports had one) falls back to its step.
 */
function xOf(r, first) {
  if (!xTime.checked || !r.time || !first?.time) return r.step;
  return (Date.parse(r.time) - Date.parse(first.time)) / 1000;
}

/** The curves: label, colour, the value of a report, whether it is a threshold (never smoothed). */
function curveList() {
  const list = [
    { label: 'loss', colour: colour(0), value: r => r.loss },
    { label: 'validation MSE', colour: colour(1), value: r => r.validationMse },
  ];
  ranges.forEach((name, i) => {
    list.push({ label: `MSE ${name}`, colour: colour(i + 2), value: r => r.extrapolation?.[i]?.mse ?? null });
    list.push({ label: `threshold ${name}`, colour: colour(i + 2), value: r => r.extrapolation?.[i]?.threshold ?? null, threshold: true });
  });
  return list;
}

/**
 * uPlot's series and columns: each curve, smoothed (with its raw values faint) when smoothing is on, then the
 * overlays, and `append`, which adds one report to the columns in place (none with overlays: their steps differ,
 * so the table is joined anew).
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
      writers.push(r => clean(curve.value(r)), r => next(curve.value(r)));
    } else {
      series.push({ label: curve.label, colour: curve.colour, dash: curve.threshold ? [6, 4] : undefined });
      writers.push(r => clean(curve.value(r)));
    }
  }
  const cols = [[], ...writers.map(() => [])];
  const append = r => {
    cols[0].push(xOf(r, reports[0]));
    for (let k = 0; k < writers.length; k++) cols[k + 1].push(writers[k](r));
  };
  reports.forEach(append);
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
const membersData = [[], []];
let frame = 0;

function draw() {
  curves?.destroy();
  members?.destroy();
  live = table();
  container.replaceChildren();
  membersData[0] = reports.map(r => xOf(r, reports[0]));
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
 * only appends to the columns, so a replay of a long history is not slowed by drawing.
 */
function redraw() {
  frame = 0;
  const report = reports[reports.length - 1];
  const steps = job?.spec?.training?.steps || report.step;
  $('job-progress').max = steps;
  $('job-progress').value = Math.min(report.step, steps);
  $('job-steps').textContent = `step ${report.step} / ${steps}, validation MSE ${num(report.validationMse)}, `
    + `${report.membersSucceeded} / ${report.population} members succeeded`;
  if (!curves || ranges.length !== (report.extrapolation || []).length) {
    ranges = (report.extrapolation || []).map(r => r.range);
    draw();
  } else {
    if (!live.append) live = table();
    curves.update(live.cols);
    members.update(membersData);
  }
  container.dataset.points = String(reports.length);
}

function progress(report) {
  if (reports.length > 0 && report.step <= reports[reports.length - 1].step) return; // a replay after reconnecting
  reports.push(report);
  membersData[0].push(xOf(report, reports[0]));
  membersData[1].push(report.membersSucceeded);
  if (curves && ranges.length === (report.extrapolation || []).length) live.append?.(report);
  if (!frame) frame = requestAnimationFrame(redraw);
}

function state(name, data) {
  const words = Object.entries(data).filter(([k]) => k !== 'state').map(([k, v]) => `${k}: ${v}`).join(', ');
  $('states').append(el('li', {}, el('strong', {}, data.state || name), words ? ` (${words})` : ''));
  if (data.state) $('job-state').textContent = data.state;
}

function finished(name, data) {
  state(name, data);
  if (name === 'completed') {
    $('job-formula').replaceChildren(data.formula ? el('code', {}, data.formula) : 'no formula',
      data.exact ? ' (exact)' : ' (not exact)', ' · ', el('a', { href: `/models/${data.modelId}` }, `model ${data.modelId}`));
  } else {
    $('job-formula').textContent = name === 'failed' ? `none: ${data.reason || 'failed'}` : 'none: cancelled';
  }
  loadJob();
}

function listen() {
  const stream = new EventSource(`/api/v1/jobs/${id}/events`);
  stream.addEventListener('progress', e => progress(JSON.parse(e.data)));
  stream.addEventListener('state', e => state('state', JSON.parse(e.data)));
  for (const name of ['completed', 'failed', 'cancelled']) {
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
  $('job-task').textContent = task?.kind === 'dataset' ? `${task.data.target} from ${task.data.inputs.join(', ')} of dataset ${task.data.dataset}`
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
loadJob().then(listen);
