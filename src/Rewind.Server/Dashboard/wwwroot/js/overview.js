import { api } from './api.js';
import { h, replace, badge, ago, link, table } from './dom.js';
import { signalCharts } from './chart.js';
import { rollbackControl } from './rollbackview.js';

// The ranges the charts can show: the newest samples (the default), or a window of raw samples and rollups.
const RANGES = [['', 'recent samples'], ['1h', 'last hour'], ['6h', 'last 6 hours'], ['24h', 'last 24 hours'], ['7d', 'last 7 days'], ['30d', 'last 30 days']];
let range = '';

// Every component: current release, last known good, health, open incident, active rollback, live charts.
export async function render(view, ctx) {
  const grid = h('div', { class: 'grid' });
  const incidents = h('section', { 'aria-labelledby': 'recent' });
  const waiting = h('section', { 'aria-live': 'polite' });
  const picker = h('select', { id: 'chart-range', 'data-testid': 'chart-range', onchange: async (e) => {
    range = e.target.value;
    await Promise.all([...cards.keys()].map(charts));
  } }, RANGES.map(([value, label]) => h('option', { value, selected: value === range }, label)));
  replace(view, h('h1', {}, 'Overview'), waiting, h('p', { class: 'range' }, h('label', { for: 'chart-range' }, 'Charts show '), picker), grid, incidents);
  const cards = new Map();
  const samples = (name) => api(`components/${enc(name)}/samples${range ? `?window=${range}` : ''}`);

  // Drawn at once from what is known (a new incident must not wait for charts), then again with fresh releases and samples.
  async function card(component) {
    let el = cards.get(component.name);
    if (!el) {
      el = h('article', { class: 'card component', 'data-component': component.name });
      cards.set(component.name, el);
      grid.append(el);
    }
    if (el.history) draw(el, component, el.releases, el.history);
    const [releases, history] = await Promise.all([api(`components/${enc(component.name)}/releases`), samples(component.name)]);
    draw(el, component, releases, history);
  }

  function draw(el, component, releases, history) {
    el.dataset.health = component.health;
    replace(el,
      h('header', {}, h('h2', {}, component.name), badge(component.health), component.maintenanceUntil ? badge('maintenance') : null),
      h('dl', { class: 'facts' },
        h('dt', {}, 'current'), h('dd', {}, component.currentVersion || '–', ' ', component.currentState ? badge(component.currentState) : null),
        h('dt', {}, 'last known good'), h('dd', {}, component.lastKnownGood || (component.currentState === 'stable' ? 'only the current release' : 'none yet')),
        h('dt', {}, 'since'), h('dd', {}, ago(component.currentSince)),
        component.evidence ? h('dt', {}, 'evidence') : null,
        component.evidence ? h('dd', { 'data-testid': 'evidence' }, component.evidence) : null),
      component.openIncident ? h('p', { class: 'alert', 'data-testid': 'open-incident' }, 'Open incident ', link(`#/incidents/${component.openIncident}`, component.openIncident)) : null,
      component.activeRollback ? h('p', { class: 'notice', 'data-testid': 'active-rollback' }, 'Rollback ', link(`#/rollbacks/${component.activeRollback}`, component.activeRollback), ' in progress') : null,
      signalCharts(history, releases),
      h('p', { class: 'actions' },
        link(`#/releases/${enc(component.name)}`, 'Releases'),
        ctx.can('operator') ? rollbackControl(component) : null));
    el.charts = el.querySelector('.charts');
    el.charts.dataset.range = range || 'recent';
    el.releases = releases;
    el.history = history;
  }

  async function charts(name) {
    const el = cards.get(name);
    if (!el?.charts) return;
    el.history = await samples(name);
    const fresh = signalCharts(el.history, el.releases);
    fresh.dataset.range = range || 'recent';
    el.charts.replaceWith(fresh);
    el.charts = fresh;
  }

  async function recent() {
    const list = await api('incidents?limit=10');
    replace(incidents, h('h2', { id: 'recent' }, 'Recent incidents'), list.length === 0 ? h('p', { class: 'muted' }, 'No incidents.') : table(
      ['incident', 'component', 'severity', 'status', 'opened'],
      list.map((i) => [link(`#/incidents/${i.id}`, i.id), i.component, badge(i.severity, 'sev'), badge(i.status), ago(i.openedAt)])));
  }

  // Rollbacks waiting for a decision, on top, so an approver sees them first.
  async function approvals() {
    const list = (await api('rollbacks?limit=20')).filter((r) => r.status === 'awaiting' || r.steps.some((s) => s.awaitingApproval));
    replace(waiting, list.length ? h('div', { class: 'approval', 'data-testid': 'approvals-waiting' }, h('h2', {}, 'Waiting for approval'),
      h('ul', {}, list.map((r) => h('li', {}, link(`#/rollbacks/${r.id}`, r.id), ` ${r.component} ${r.fromVersion || '?'} → ${r.toVersion}, requested by ${r.requestedBy} `, ago(r.requestedAt))))) : null);
  }

  async function all() {
    const components = await api('components');
    await Promise.all([...components.map(card), recent(), approvals()]);
  }

  await all();
  return {
    onChange: async (change) => {
      if (change.kind === 'hello') await all();
      else if (change.kind === 'component' && cards.has(change.id)) await card(await api(`components/${enc(change.id)}`));
      else if (change.kind === 'signals') await charts(change.id);
      else if (change.kind === 'incident') await recent();
      else if (change.kind === 'rollback') await approvals();
    },
  };
}

const enc = encodeURIComponent;
