// Charts on uPlot (from its WebJar): a few series against one x, log or linear y, a zoom (drag to select,
// double-click to reset) that survives new points, and shaded x spans.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';

const COLOURS = ['#0b57d0', '#b3261e', '#1a7f37', '#8250df', '#bf8700', '#0a7ea4', '#cf222e', '#57606a'];

export function colour(i) {
  return COLOURS[i % COLOURS.length];
}

/**
 * A chart in `container`. series: [{label, colour, dash}], data: [xs, ys…] (uPlot's columns);
 * logX/logY: log scales (non-positive values are left out, as gaps); shade: [[x0, x1, label]] drawn behind.
 */
export function chart(container, { series, data, logX = false, logY = true, xLabel = 'step', yLabel = '', height = 320, shade = [] }) {
  const width = Math.max(280, container.clientWidth || 600);
  const options = {
    width, height,
    scales: { x: { time: false, distr: logX ? 3 : 1, log: 10 }, y: { distr: logY ? 3 : 1, log: 10 } },
    axes: [{ label: xLabel, values: ticks }, { label: yLabel, size: 70, values: ticks }],
    series: [{ label: xLabel }, ...series.map(s => ({
      label: s.label, stroke: s.colour, width: s.width ?? 1.5, dash: s.dash, points: { show: false }, spanGaps: !!s.spanGaps,
    }))],
    cursor: { drag: { x: true, y: false } },
    hooks: { drawClear: [u => drawShade(u, shade)] },
  };
  const plot = new uPlot(options, positive(data, logX, logY), container);
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, container.clientWidth), height }));
  resize.observe(container);
  return {
    plot,
    /**
     * New data, keeping the user's zoom (setData without resetting the scales once zoomed). The columns must
     * already hold null where a log axis has no place for a value ({@link forLog}): mapping every column again
     * on every update would cost as much as the update itself.
     */
    update(next) {
      const zoomed = plot.scales.x.min !== null && isZoomed(plot);
      plot.setData(next, !zoomed);
    },
    destroy() { resize.disconnect(); plot.destroy(); },
  };
}

/** Tick labels that stay readable from 1e-15 to 1e15: plain numbers between 0.001 and 99,999, else 1e-7. */
function ticks(u, splits) {
  return splits.map(v => {
    if (v === null || v === undefined) return '';
    const a = Math.abs(v);
    if (v === 0 || (a >= 1e-3 && a < 1e5)) return String(Number(v.toPrecision(6)));
    const e = Math.floor(Math.log10(a));
    const m = v / Math.pow(10, e);
    return (Math.abs(m - Math.round(m)) < 1e-9 ? String(Math.round(m)) : m.toPrecision(3)) + 'e' + e;
  });
}

/** Tables of [xs, ys…] with different xs as one table on the union of their xs (null where a table has no value). */
export function join(tables) {
  return uPlot.join(tables);
}

/**
 * Exponential moving average with the bias of its zero start removed (as Adam's moments and TensorBoard's
 * smoothing): s = β·s + (1 − β)·v, shown as s / (1 − βⁿ) after n values. With `log`, it averages log10(v),
 * so a curve that falls by decades is not pulled up by its early values. Gaps (null, or v ≤ 0 on a log axis)
 * stay gaps and do not count. It runs over every point, before anything is drawn.
 */
export function smoother(beta, log) {
  let s = 0;
  let n = 0;
  return v => {
    if (v === null || v === undefined || (log && !(v > 0))) return null;
    n++;
    s = beta * s + (1 - beta) * (log ? Math.log10(v) : v);
    const corrected = s / (1 - Math.pow(beta, n));
    return log ? Math.pow(10, corrected) : corrected;
  };
}

function isZoomed(plot) {
  const xs = plot.data[0];
  return xs.length > 0 && (plot.scales.x.min > xs[0] || plot.scales.x.max < xs[xs.length - 1]);
}

/** On a log axis, 0 and negative values have no place: null leaves a gap instead of a wrong line. */
export function forLog(v) {
  return v > 0 ? v : null;
}

function positive(data, logX, logY) {
  if (!logX && !logY) return data;
  return data.map((column, i) => (i === 0 ? !logX : !logY) ? column : column.map(forLog));
}

function drawShade(u, spans) {
  const ctx = u.ctx;
  ctx.save();
  for (const [x0, x1, label] of spans) {
    const left = u.valToPos(x0, 'x', true);
    const right = u.valToPos(x1, 'x', true);
    ctx.fillStyle = 'rgba(26, 127, 55, 0.12)';
    ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
    ctx.fillStyle = '#1a7f37';
    ctx.font = `${12 * devicePixelRatio}px system-ui`;
    ctx.fillText(label, left + 4, u.bbox.top + 14 * devicePixelRatio);
  }
  ctx.restore();
}
