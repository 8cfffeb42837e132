// lo's page: the machine's registries, caches and runs, from the read-only API, kept current by the
// event stream. Every value from the server goes into the document as text (dom.js), never as markup.

import {get, follow} from './api.js';
import {el, fill, table, badge, empty, bytes, time, duration, shortId, field} from './dom.js';
import {drawRuns, drawCaches} from './charts.js';

const $ = id => document.getElementById(id);

const state = {
  registries: [],
  projects: [],
  usage: new Map(),       // container -> latest usage row
  readings: new Map(),    // container -> [{t, bytes}] measured while the page is open
  warmed: [],             // ImageWarmed events from the log
  runs: [],
  selectedRun: null,
  history: {events: [], next: null, filters: {}},
  position: 0,
};

const MAX_READINGS = 500;

// ---- small helpers

function notice(text) {
  const node = $('notice');
  node.hidden = !text;
  node.textContent = text || '';
}

/** Runs fn at most once per wait, after the last call (a burst of events reloads once). */
function debounced(fn, wait) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => fn().catch(e => notice(e.message)), wait);
  };
}

function stateBadge(display, raw) {
  const word = String(raw || display || '').toLowerCase();
  const kind = word === 'running' ? 'running-state' : word.split(/\s/)[0];
  return badge(display || raw || '—', kind);
}

// ---- the machine: shared networks with their mirrors, projects with their registries

async function loadMachine() {
  const [registries, projects] = await Promise.all([get('/api/registries'), get('/api/projects')]);
  state.registries = Array.isArray(registries) ? registries : [registries];
  state.projects = projects;
  renderMachine();
  fillFilterChoices();
  await loadUsage();
}

async function loadUsage() {
  const domains = [...new Set(state.registries.map(r => r.domain).filter(Boolean))];
  const reports = await Promise.all(domains.map(d => get('/api/registries/usage', {domain: d}).catch(() => null)));
  const now = Date.now();
  for (const report of reports.filter(Boolean)) {
    for (const row of report.registries || []) {
      state.usage.set(row.container, row);
      if (row.volumeBytes !== null && row.volumeBytes !== undefined) {
        const list = state.readings.get(row.container) || [];
        const previous = list[list.length - 1];
        if (!previous || previous.t !== now) list.push({t: now, bytes: row.volumeBytes});
        if (list.length > MAX_READINGS) list.shift();
        state.readings.set(row.container, list);
      }
    }
  }
  renderMachine();
  renderCaches();
}

/** Columns other versions of the API may add: shown only when some registry has them. */
const OPTIONAL = [
  {label: 'Mode', value: r => field(r, 'mode', 'mirrorMode')},
  {label: 'Hits', value: (r, u) => hits(r, u)},
  {label: 'Pull budget', value: (r, u) => budget(field(r, 'pullBudget') ?? field(u, 'pullBudget'))},
];

function hits(r, u) {
  const h = field(r, 'hits', 'cacheHits') ?? field(u, 'hits', 'cacheHits', 'traffic');
  if (h === undefined) return undefined;
  if (typeof h !== 'object') return String(h);
  const served = field(h, 'fromCache', 'served', 'hits', 'cached');
  const fetched = field(h, 'fromUpstream', 'fetched', 'misses');
  const saved = field(h, 'bytesSaved', 'savedBytes', 'bytesFromCache', 'hitBytes');
  return [served !== undefined ? served + ' from cache' : null, fetched !== undefined ? fetched + ' from upstream' : null,
    saved !== undefined ? bytes(saved) + ' saved' : null].filter(Boolean).join(', ') || JSON.stringify(h);
}

function budget(b) {
  if (b === undefined) return undefined;
  if (typeof b !== 'object') return String(b);
  const left = field(b, 'remaining', 'left');
  const limit = field(b, 'limit');
  if (left !== undefined) return `${left}${limit !== undefined ? ' of ' + limit : ''} left`;
  const state = field(b, 'state');
  if (state === undefined) return JSON.stringify(b);
  const reason = field(b, 'reason');
  return reason !== undefined ? `${state}: ${reason}` : String(state);
}

function pushAddress(r) {
  const address = field(r, 'pushAddress', 'push', 'hostAddress', 'pushHost');
  if (address !== undefined) return String(address);
  const port = field(r, 'hostPort');
  return port !== undefined ? 'localhost:' + port : undefined;
}

function renderMachine() {
  const shared = new Map();
  for (const report of state.registries) {
    if (!report.sharedNetwork || !(report.shared || []).length) continue;
    const key = report.sharedNetwork.name;
    const entry = shared.get(key) || {network: report.sharedNetwork, mirrors: new Map()};
    for (const m of report.shared) entry.mirrors.set(m.container, m);
    shared.set(key, entry);
  }
  const sharedNodes = [...shared.values()].map(({network, mirrors}) => {
    const rows = [...mirrors.values()];
    const optional = OPTIONAL.filter(c => rows.some(r => c.value(r, state.usage.get(r.container)) !== undefined));
    return el('div', {class: 'network', 'data-network': network.name},
      el('p', {class: 'network-title'}, 'Shared network ', el('span', {class: 'mono'}, network.name), ' ',
        el('span', {class: 'mono'}, network.actualCidr || network.cidr),
        network.exists ? '' : el('span', null, ' ', badge('missing'))),
      table(['Mirror', 'Container', 'Address', 'State', ...optional.map(c => c.label),
        {label: 'Cache', attrs: {class: 'num'}}, 'Last pull', 'Upstream', 'Used by'],
      rows.map(r => {
        const u = state.usage.get(r.container);
        return el('tr', {'data-registry': r.container},
          el('td', null, r.name), el('td', {class: 'mono'}, r.container), el('td', {class: 'mono'}, r.actualIp || r.ip),
          el('td', null, stateBadge(r.display, r.state)),
          optional.map(c => el('td', null, c.value(r, u) ?? '—')),
          el('td', {class: 'num'}, u ? bytes(u.volumeBytes) : '—'),
          el('td', null, u && u.lastPull ? time(u.lastPull) + (u.lastPullImage ? ' ' + u.lastPullImage : '') : '—'),
          el('td', {class: 'mono'}, r.upstream || '—'), el('td', null, (r.usedBy || []).join(', ') || '—'));
      })));
  });
  fill($('shared-networks'), sharedNodes.length ? sharedNodes : empty('no shared network recorded'));

  const nodesOf = new Map(state.projects.map(p => [p.name, p]));
  const rows = state.registries.map(report => {
    const project = nodesOf.get(report.project);
    const nodes = project ? [...new Set((project.networks || []).flatMap(n => n.nodes || []))] : [];
    const own = (report.projectRegistries || []);
    const registry = role => own.find(r => String(r.role).toLowerCase() === role);
    const cell = r => r ? el('td', null, el('span', {class: 'mono'}, r.actualIp || r.ip), ' ', stateBadge(r.display, r.state),
      state.usage.get(r.container) ? el('span', {class: 'hint'}, ' ' + bytes(state.usage.get(r.container).volumeBytes))
        : '') : el('td', null, '—');
    const mirrors = own.filter(r => !['build', 'cache'].includes(String(r.role).toLowerCase()));
    const push = [registry('build'), registry('cache')].map(r => r && pushAddress(r)).filter(Boolean);
    return el('tr', {'data-project': report.project},
      el('td', null, el('strong', null, report.project), el('br'), el('span', {class: 'hint'}, report.domain)),
      el('td', {class: 'num'}, report.slot),
      el('td', {class: 'mono'}, report.projectNetwork ? (report.projectNetwork.actualCidr || report.projectNetwork.cidr) : '—'),
      cell(registry('build')), cell(registry('cache')),
      el('td', {class: 'mono push'}, push.length ? push.join(', ') : '—'),
      el('td', null, mirrors.length ? mirrors.map(m => el('div', null, m.name + ' ', stateBadge(m.display, m.state)))
        : (report.sharedNetwork ? 'shared: ' + report.sharedNetwork.name : '—')),
      el('td', {class: 'mono'}, nodes.length ? nodes.join(', ') : '—'),
      el('td', null, (report.drift || []).length ? report.drift.map(d => el('div', {class: 'error-text'},
        d.kind + ': ' + d.message)) : '—'));
  });
  fill($('projects'), rows.length ? table(['Project', {label: 'Slot', attrs: {class: 'num'}}, 'Subnet', 'Build',
    'Cache', 'Push address', 'Mirrors', 'Cluster nodes', 'Drift'], rows) : empty('no project recorded yet'));
}

// ---- runs

async function loadRuns() {
  state.runs = await get('/api/runs', {limit: 200});
  renderRuns();
  fillFilterChoices();
  if (state.selectedRun) await showRun(state.selectedRun, false);
}

function renderRuns() {
  drawRuns($('runs-chart'), state.runs, id => showRun(id, true).catch(e => notice(e.message)));
  const rows = state.runs.slice(0, 25).map(r => {
    const ms = r.endedAt && r.startedAt ? Date.parse(r.endedAt) - Date.parse(r.startedAt) : null;
    const pick = () => showRun(r.runId, true).catch(e => notice(e.message));
    const selected = r.runId === state.selectedRun ? ' selected' : '';
    const row = el('tr', {class: 'clickable' + selected, 'data-run': r.runId, onclick: pick},
      el('td', {class: 'mono'}, shortId(r.runId)), el('td', {class: 'when'}, time(r.startedAt)), el('td', null, r.command, el('br'),
        el('span', {class: 'hint'}, r.domain || '—')), el('td', {class: 'num'}, duration(ms)), el('td', null, badge(r.status)),
      el('td', {class: 'num'}, r.resumes ? String(r.resumes) : ''));
    // the error on a row of its own, the table's full width: a refusal's reason can be long
    return r.error ? [row, el('tr', {class: 'clickable error-row' + selected, 'data-run-error': r.runId, onclick: pick},
      el('td', {colspan: 6, class: 'error-text run-error'}, (r.failedStep ? 'at ' + r.failedStep + ': ' : '') + r.error))]
      : row;
  });
  fill($('runs-table'), rows.length ? table(['Run', 'Started (UTC)', 'Command',
    {label: 'Took', attrs: {class: 'num'}}, 'Outcome', {label: 'Resumed', attrs: {class: 'num'}}], rows)
    : empty('no runs recorded yet'));
}

async function showRun(id, scroll) {
  const detail = await get('/api/runs/' + encodeURIComponent(id));
  state.selectedRun = detail.run.runId;
  const run = detail.run;
  const box = $('run-detail');
  box.hidden = false;
  fill(box,
    el('button', {class: 'close', type: 'button', onclick: () => {
      box.hidden = true;
      state.selectedRun = null;
      renderRuns();
    }}, 'Close'),
    el('h3', null, `Run ${shortId(run.runId)}: ${run.command} ${run.domain || ''} `, badge(run.status)),
    el('p', {class: 'hint'}, `started ${time(run.startedAt)}, ended ${time(run.endedAt)}, pid ${run.pid ?? '—'} on `
      + `${run.host || '—'}`),
    run.error ? el('p', {class: 'error-text'}, (run.failedStep ? 'at ' + run.failedStep + ': ' : '') + run.error) : '',
    (detail.steps || []).length ? table(['Step', 'Outcome', {label: 'Took', attrs: {class: 'num'}}, 'Recorded (UTC)'],
      detail.steps.map(s => el('tr', {'data-step': s.stepId}, el('td', {class: 'mono'}, s.stepId),
        el('td', null, badge(s.outcome)), el('td', {class: 'num'}, duration(s.durationMs)),
        el('td', {class: 'when'}, time(s.recordedAt))))) : empty('no steps recorded'),
    (detail.resumptions || []).length ? [el('h3', null, 'Resumed'),
      table(['At (UTC)', 'By', {label: 'Steps done', attrs: {class: 'num'}}, 'After', 'Previous error'],
        detail.resumptions.map(r => el('tr', null, el('td', null, time(r.at)), el('td', null, `pid ${r.pid} on ${r.host}`),
          el('td', {class: 'num'}, r.completedSteps), el('td', null, r.after || '—'),
          el('td', {class: 'error-text'}, r.previousError || '—'))))] : '');
  renderRuns();
  if (scroll) box.scrollIntoView({block: 'nearest'});
}

// ---- cache sizes

async function loadWarmed() {
  const page = await get('/api/history', {type: 'ImageWarmed', limit: 10000});
  state.warmed = page.events;
  renderCaches();
}

function renderCaches() {
  const names = new Set([...state.readings.keys()]);
  const steps = new Map();
  for (const e of [...state.warmed].sort((a, b) => a.position - b.position)) {
    const p = e.payload || {};
    if (!p.mirror || p.cached) continue;
    const list = steps.get(p.mirror) || [];
    const before = list.length ? list[list.length - 1].bytes : 0;
    list.push({t: Date.parse(e.recordedAt), bytes: before + Number(p.bytes || 0)});
    steps.set(p.mirror, list);
    names.add(p.mirror);
  }
  const series = [...names].sort().map(name => ({name, steps: steps.get(name) || [], readings: state.readings.get(name) || []}))
    .filter(s => s.steps.length || s.readings.some(r => r.bytes > 0) || isMirror(s.name));
  drawCaches($('cache-chart'), series);
}

function isMirror(container) {
  const u = state.usage.get(container);
  return u && String(u.role).toLowerCase() !== 'build' && String(u.role).toLowerCase() !== 'cache';
}

// ---- subnet mismatches

async function loadMismatches() {
  const answer = await get('/api/mismatches', {limit: 20});
  const current = answer.current || [];
  fill($('mismatch-list'), current.length ? current.map(m => el('div', {class: 'mismatch', 'data-project': m.project},
    el('p', {class: 'error-text'}, m.error), m.fix ? el('p', {class: 'fix-text'}, m.fix) : '',
    el('p', {class: 'hint'}, `${m.project} (${m.domain}): ${m.network} is ${m.existingCidr}, wanted ${m.expectedCidr}`
      + (m.detectedAt ? `, detected at position ${m.detectedAt}` : '')))) : [
    empty('none open' + ((answer.historical || []).length ? ` (${answer.historical.length} fixed since detected)` : ''))]);
}

// ---- history

const TYPES = ['RunStarted', 'RunCompleted', 'RunFailed', 'RunRejected', 'RunResumed', 'StepCompleted',
  'NetworkCreated', 'NetworkAdopted', 'NetworkRemoved', 'RegistryStarted', 'MirrorStarted', 'RegistryStopped',
  'RegistryRemoved', 'NodeConnected', 'NodeDisconnected', 'CertIssued', 'CertsDirWritten', 'ClusterCreated',
  'ClusterDeleted', 'ClusterRegistriesPublished', 'ImageWarmed', 'LeaseTakenOver', 'SubnetMismatchDetected'];

function historyFilters() {
  const form = new FormData($('history-filters'));
  const since = form.get('since');
  return {domain: form.get('domain'), type: form.get('type'), run: String(form.get('run') || '').trim(),
    since: since || ''};
}

async function loadHistory(more) {
  const filters = more ? state.history.filters : historyFilters();
  const page = await get('/api/history', Object.assign({limit: 50}, filters,
    more ? {before: state.history.next} : {}));
  state.history.filters = filters;
  state.history.events = more ? state.history.events.concat(page.events) : page.events;
  state.history.next = page.next;
  renderHistory();
}

function historyRow(e, fresh) {
  return el('tr', {class: fresh ? 'fresh' : null, 'data-position': e.position},
    el('td', {class: 'num mono'}, e.position), el('td', {class: 'when'}, time(e.recordedAt)), el('td', null, e.type),
    el('td', null, e.domain || '—'), el('td', {class: 'summary'}, e.summary || ''),
    el('td', {class: 'mono'}, e.metadata && e.metadata.runId ? shortId(e.metadata.runId) : ''));
}

function renderHistory(freshPosition) {
  const rows = state.history.events.map(e => historyRow(e, e.position === freshPosition));
  fill($('history-table'), rows.length ? table([{label: '#', attrs: {class: 'num'}}, 'Recorded (UTC)', 'Type',
    'Domain', 'Summary', 'Run'], rows) : empty('no events match'));
  $('history-older').hidden = state.history.next === null || state.history.next === undefined;
}

function matchesFilters(e) {
  const f = state.history.filters;
  if (f.domain && e.domain !== f.domain) return false;
  if (f.type && e.type !== f.type) return false;
  if (f.run && !(e.metadata && String(e.metadata.runId || '').startsWith(f.run))) return false;
  if (f.since && Date.parse(e.recordedAt) < Date.parse(f.since)) return false;
  return true;
}

function fillFilterChoices() {
  const domains = [...new Set([...state.registries.map(r => r.domain), ...state.runs.map(r => r.domain)]
    .filter(Boolean))].sort();
  const select = $('history-filters').elements.domain;
  const chosen = select.value;
  fill(select, el('option', {value: ''}, 'all'), domains.map(d => el('option', {value: d}, d)));
  select.value = domains.includes(chosen) ? chosen : '';
  const types = $('history-filters').elements.type;
  if (types.options.length <= 1) types.append(...TYPES.map(t => el('option', {value: t}, t)));
}

// ---- live

const reloadRuns = debounced(loadRuns, 300);
const reloadMachine = debounced(loadMachine, 1000);
const reloadWarmed = debounced(loadWarmed, 500);
const reloadMismatches = debounced(loadMismatches, 500);

function onEvent(e) {
  state.position = Math.max(state.position, e.position);
  if (matchesFilters(e) && !state.history.events.some(x => x.position === e.position)) {
    state.history.events.unshift(e);
    if (state.history.events.length > 500) state.history.events.length = 500;
    renderHistory(e.position);
  }
  if (/^Run|^Step|^LeaseTakenOver/.test(e.type)) reloadRuns();
  if (/^(Run(Completed|Failed)|Network|Registry|Mirror|Node|Cluster|Cert)/.test(e.type)) reloadMachine();
  if (e.type === 'ImageWarmed') {
    reloadWarmed();
    reloadMachine();
  }
  if (/^SubnetMismatch|^Run(Completed|Rejected)|^NetworkRemoved/.test(e.type)) reloadMismatches();
}

function setLive(stateWord, text) {
  const node = $('live');
  node.dataset.state = stateWord;
  node.textContent = stateWord === 'live' ? `live · log position ${state.position}` : text;
}

// ---- start

async function start() {
  // a token added to the address of an open page (only the fragment changed: no navigation): start over with it
  window.addEventListener('hashchange', () => {
    if (/token=/.test(location.hash)) location.reload();
  });
  $('history-filters').addEventListener('submit', ev => {
    ev.preventDefault();
    loadHistory(false).catch(e => notice(e.message));
  });
  $('history-older').addEventListener('click', () => loadHistory(true).catch(e => notice(e.message)));
  let head;
  try {
    head = await get('/api/history', {limit: 1});
  } catch (e) {
    notice(e.message);
    setLive('down', 'not connected');
    return;
  }
  state.position = head.events.length ? head.events[0].position : 0;
  follow(state.position, e => {
    onEvent(e);
    setLive('live');
  }, setLive, () => location.reload());
  const results = await Promise.allSettled([loadRuns(), loadHistory(false), loadMismatches(), loadWarmed(),
    loadMachine()]);
  const failed = results.filter(r => r.status === 'rejected').map(r => r.reason.message);
  notice(failed.length ? failed.join('; ') : '');
  fillFilterChoices();
  document.body.dataset.loaded = 'true';
  // volumes grow while clusters pull: take a usage reading every minute while the page is open
  setInterval(() => loadUsage().catch(() => {}), 60000);
}

start();
