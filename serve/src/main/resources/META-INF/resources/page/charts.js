// Two small SVG charts drawn by hand (no library): runs over time and cache sizes over time.
// Axes are labelled with their units; times are UTC, as everywhere in lo.

import {svg, fill, bytes, duration, time} from './dom.js';

const WIDTH = 720;
const HEIGHT = 260;
const M = {left: 78, right: 30, top: 30, bottom: 44};

export const STATUS_COLOURS = {
  completed: '#2e7d32', failed: '#c62828', rejected: '#b26a00', running: '#1565c0', interrupted: '#6d4c41',
};
const SERIES_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

/** Time ticks at a round step (minutes, hours or days) that gives about six labels. */
function timeTicks(t0, t1) {
  const span = Math.max(t1 - t0, 1);
  const steps = [1e3, 5e3, 15e3, 30e3, 60e3, 300e3, 900e3, 1800e3, 3600e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3,
    86400e3, 2 * 86400e3, 7 * 86400e3, 30 * 86400e3];
  const step = steps.find(s => span / s <= 7) || steps[steps.length - 1];
  const ticks = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
  const label = t => {
    const iso = new Date(t).toISOString();
    if (step >= 86400e3) return iso.slice(5, 10);
    if (span > 86400e3) return iso.slice(5, 10) + ' ' + iso.slice(11, 16);
    return step < 60e3 ? iso.slice(11, 19) : iso.slice(11, 16);
  };
  return ticks.map(t => ({t, label: label(t)}));
}

/** About five round ticks from 0 to at least max. */
function valueTicks(max, steps) {
  const top = Math.max(max, Number.MIN_VALUE);
  const raw = top / 5;
  const step = steps ? steps.find(s => s >= raw) || steps[steps.length - 1] * Math.ceil(raw / steps[steps.length - 1])
    : (() => {
      const p = Math.pow(10, Math.floor(Math.log10(raw)));
      return [1, 2, 2.5, 5, 10].map(f => f * p).find(s => s >= raw);
    })();
  const ticks = [];
  for (let v = 0; v <= top + step * 0.001; v += step) ticks.push(v);
  if (ticks[ticks.length - 1] < top) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

function frame(title, xTitle, yTitle) {
  const root = svg('svg', {viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title});
  root.append(svg('title', null, title));
  root.append(svg('text', {class: 'axis-title', x: M.left + (WIDTH - M.left - M.right) / 2, y: HEIGHT - 6,
    'text-anchor': 'middle'}, xTitle));
  root.append(svg('text', {class: 'axis-title', x: 14, y: M.top + (HEIGHT - M.top - M.bottom) / 2,
    'text-anchor': 'middle', transform: `rotate(-90 14 ${M.top + (HEIGHT - M.top - M.bottom) / 2})`}, yTitle));
  return root;
}

function axes(root, xTicks, x, yTicks, y, yLabel) {
  const grid = svg('g', {class: 'y-axis'});
  for (const v of yTicks) {
    grid.append(svg('line', {class: 'grid', x1: M.left, x2: WIDTH - M.right, y1: y(v), y2: y(v)}));
    grid.append(svg('text', {x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end'}, yLabel(v)));
  }
  const xAxis = svg('g', {class: 'axis x-axis'});
  xAxis.append(svg('line', {x1: M.left, x2: WIDTH - M.right, y1: HEIGHT - M.bottom, y2: HEIGHT - M.bottom}));
  xAxis.append(svg('line', {x1: M.left, x2: M.left, y1: M.top, y2: HEIGHT - M.bottom}));
  for (const {t, label} of xTicks) {
    xAxis.append(svg('line', {x1: x(t), x2: x(t), y1: HEIGHT - M.bottom, y2: HEIGHT - M.bottom + 4}));
    xAxis.append(svg('text', {x: x(t), y: HEIGHT - M.bottom + 16, 'text-anchor': 'middle'}, label));
  }
  root.append(grid, xAxis);
}

function scales(t0, t1, yMax) {
  const pad = Math.max((t1 - t0) * 0.04, 30e3);
  const a = t0 - pad;
  const b = t1 + pad;
  const x = t => M.left + (t - a) / (b - a) * (WIDTH - M.left - M.right);
  const y = v => HEIGHT - M.bottom - v / yMax * (HEIGHT - M.top - M.bottom);
  return {a, b, x, y};
}

function emptyText(root, text) {
  root.append(svg('text', {class: 'empty-chart', x: M.left + (WIDTH - M.left - M.right) / 2,
    y: M.top + (HEIGHT - M.top - M.bottom) / 2, 'text-anchor': 'middle'}, text));
}

function legend(root, entries) {
  const g = svg('g', {class: 'legend'});
  let x = M.left + 6;
  for (const {label, colour, shape} of entries) {
    g.append(shape === 'square'
      ? svg('rect', {x: x, y: 6, width: 9, height: 9, fill: colour})
      : svg('circle', {cx: x + 4.5, cy: 10.5, r: 4.5, fill: colour}));
    const text = svg('text', {x: x + 13, y: 14}, label);
    g.append(text);
    x += 22 + label.length * 6.2;
  }
  root.append(g);
}

const SECONDS = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * Runs: x when it started, y how long it took (to its end, or until now while running), colour its
 * outcome; a ring around a run that was resumed. onPick(runId) when a dot is clicked.
 */
export function drawRuns(container, runs, onPick) {
  const root = frame('Runs over time: start time and duration, coloured by outcome', 'run started (UTC)',
    'duration (s)');
  const now = Date.now();
  const points = runs.filter(r => r.startedAt).map(r => {
    const start = Date.parse(r.startedAt);
    const end = r.endedAt ? Date.parse(r.endedAt) : (r.status === 'running' ? now : start);
    return {run: r, start, seconds: Math.max(0, (end - start) / 1000)};
  });
  if (!points.length) {
    const {x, y} = scales(now - 3600e3, now, 10);
    axes(root, timeTicks(now - 3600e3, now), x, valueTicks(10, SECONDS), y, v => String(v));
    emptyText(root, 'no runs recorded yet');
    fill(container, root);
    return;
  }
  const t0 = Math.min(...points.map(p => p.start));
  const t1 = Math.max(...points.map(p => p.start));
  const yTicks = valueTicks(Math.max(1, ...points.map(p => p.seconds)) * 1.05, SECONDS);
  const {a, b, x, y} = scales(t0, t1, yTicks[yTicks.length - 1]);
  axes(root, timeTicks(a, b), x, yTicks, y, v => String(v));
  const dots = svg('g', {class: 'dots'});
  for (const p of points.sort((l, r) => l.start - r.start)) {
    const colour = STATUS_COLOURS[p.run.status] || '#607d8b';
    const g = svg('g', {class: 'dot', 'data-run': p.run.runId, 'data-status': p.run.status,
      tabindex: 0, onclick: () => onPick(p.run.runId),
      onkeydown: e => { if (e.key === 'Enter') onPick(p.run.runId); }});
    g.append(svg('title', null, `${p.run.command} ${p.run.domain ?? ''} — ${p.run.status}, ${time(p.run.startedAt)}`
      + `, ${duration(p.seconds * 1000)}` + (p.run.resumes ? `, resumed ${p.run.resumes}×` : '')));
    if (p.run.resumes) g.append(svg('circle', {cx: x(p.start), cy: y(p.seconds), r: 9, fill: 'none', stroke: colour,
      'stroke-width': 2}));
    g.append(svg('circle', {cx: x(p.start), cy: y(p.seconds), r: 5.5, fill: colour, 'fill-opacity': 0.85}));
    dots.append(g);
  }
  root.append(dots);
  legend(root, Object.entries(STATUS_COLOURS)
    .filter(([status]) => points.some(p => p.run.status === status))
    .map(([status, colour]) => ({label: status, colour})));
  fill(container, root);
}

function byteTicks(max) {
  const units = [1, 1024, 1024 ** 2, 1024 ** 3, 1024 ** 4];
  const unit = units.filter(u => max / u >= 1).pop() || 1;
  const ticks = valueTicks(max / unit).map(v => v * unit);
  return {ticks, label: v => v === 0 ? '0' : bytes(v)};
}

/**
 * Cache sizes: per mirror (series keyed by container), a line of the bytes warmed into it over time
 * (steps: {t, bytes}, cumulative) and squares for measured volume sizes (readings: {t, bytes}).
 */
export function drawCaches(container, series) {
  const root = frame('Cache sizes over time, per registry', 'time (UTC)', 'size (binary units)');
  const all = series.flatMap(s => [...s.steps, ...s.readings]);
  if (!all.length) {
    const now = Date.now();
    const {x, y} = scales(now - 3600e3, now, 1024 ** 2);
    axes(root, timeTicks(now - 3600e3, now), x, valueTicks(1024 ** 2, [256 * 1024]), y, v => bytes(v));
    emptyText(root, 'no cache sizes recorded yet: lo registry warm fills a mirror, usage readings appear here');
    fill(container, root);
    return;
  }
  const now = Date.now();
  const t0 = Math.min(...all.map(p => p.t));
  const t1 = Math.max(now, ...all.map(p => p.t));
  const {ticks, label} = byteTicks(Math.max(1024, ...all.map(p => p.bytes)) * 1.05);
  const {a, b, x, y} = scales(t0, t1, ticks[ticks.length - 1]);
  axes(root, timeTicks(a, b), x, ticks, y, label);
  const entries = [];
  series.forEach((s, i) => {
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
    const g = svg('g', {class: 'series', 'data-registry': s.name});
    if (s.steps.length) {
      // a step line: the size holds until the next warm adds to it, up to now
      g.append(svg('path', {d: stepPath(s.steps, x, y, t1), fill: 'none', stroke: colour, 'stroke-width': 2}));
    }
    for (const r of s.readings) {
      g.append(svg('rect', {class: 'reading', x: x(r.t) - 4, y: y(r.bytes) - 4, width: 8, height: 8, fill: colour},
        svg('title', null, `${s.name}: ${bytes(r.bytes)} measured at ${time(new Date(r.t).toISOString())}`)));
    }
    root.append(g);
    entries.push({label: s.name, colour, shape: 'square'});
  });
  legend(root, entries);
  fill(container, root);
}

function stepPath(steps, x, y, until) {
  let d = `M ${x(steps[0].t)} ${y(0)}`;
  let previous = 0;
  for (const p of steps) {
    d += ` L ${x(p.t)} ${y(previous)} L ${x(p.t)} ${y(p.bytes)}`;
    previous = p.bytes;
  }
  return d + ` L ${x(until)} ${y(previous)}`;
}
