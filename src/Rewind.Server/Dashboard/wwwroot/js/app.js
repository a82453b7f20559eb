import { api, csrf, toLogin } from './api.js';
import { connect, onChange } from './live.js';
import { h, replace, time, refreshAges } from './dom.js';
import { showConfig } from './config.js';

const pages = {
  overview: () => import('./overview.js'),
  incidents: () => import('./incident.js'),
  rollback: () => import('./rollback.js'),
  rollbacks: () => import('./follow.js'),
  releases: () => import('./releases.js'),
  backups: () => import('./backups.js'),
  audit: () => import('./audit.js'),
};

const view = document.getElementById('view');
let current = null;
let session = null;

// What the role may do; the server refuses the rest anyway, this only keeps refused buttons off the screen.
export const can = (role) => session.roles.includes('admin') || session.roles.includes(role) || role === 'viewer';

let routed = 0;

// Each visit renders into its own element: a slower, older visit finishing late writes into a detached one.
async function route() {
  const visit = ++routed;
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const [page, ...rest] = path.split('/').map(decodeURIComponent);
  const name = pages[page || 'overview'] ? (page || 'overview') : 'overview';
  // Only the page shown is marked; an incident or a rollback being followed has no entry of its own, so none is.
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  current?.dispose?.();
  current = null;
  const mount = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  replace(view, mount);
  const module = await pages[name]();
  const ctx = { session, can, id: rest.join('/'), params: new URLSearchParams(query || '') };
  try {
    const shown = await module.render(mount, ctx);
    if (visit === routed) current = shown;
  } catch (error) {
    replace(mount, h('p', { class: 'error', role: 'alert' }, error.message));
  }
}

// The controller's own faults (its store down or refusing writes, its disk nearly full, its executor crash-looping), from
// the health answer every few seconds: while one lasts, what this page shows may be stale and rollbacks may not run.
async function watchFaults() {
  const banner = document.getElementById('faults');
  let faults = [];
  try {
    const response = await fetch('/api/v1/health', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (response.ok) {
      const health = await response.json();
      showLeader(health.leadership);
      showAgents(health.agents);
      showConfig(health.config);
    }
    if (response.status === 503) {
      const problem = await response.json().catch(() => ({}));
      faults = problem.faults?.length ? problem.faults : [{ title: problem.title || 'controller unhealthy', message: problem.detail || '' }];
    }
  } catch {
    faults = [{ title: 'controller unreachable', message: 'the dashboard cannot reach the controller' }];
  }
  banner.hidden = faults.length === 0;
  replace(banner, h('strong', {}, 'Rewind itself has a fault: '), ...faults.map((f) => h('span', { class: 'fault', 'data-kind': f.kind || '' },
    `${f.title}${f.since ? ` since ${time(f.since)}` : ''}: ${f.message}`)));
}

// Who leads the store's controllers (replicas on PostgreSQL), and which replica this page talks to.
function showLeader(leadership) {
  const el = document.getElementById('leader');
  if (!leadership) return;
  if (leadership.role === 'sole') {
    el.textContent = `controller ${leadership.replica}`;
    el.title = 'the one controller of this store';
    return;
  }
  const age = leadership.leaseAgeMs == null ? '' : `, renewed ${(leadership.leaseAgeMs / 1000).toFixed(1)} s ago`;
  el.textContent = leadership.leader
    ? `leader ${leadership.leader} (epoch ${leadership.epoch}${age}) · via ${leadership.replica}`
    : `no leader (epoch ${leadership.epoch}) · via ${leadership.replica}`;
  el.title = leadership.replicas.map((r) => `${r.name}: ${r.leader ? 'leader' : r.alive ? 'follower' : 'not seen'}, ${r.host} pid ${r.pid}, seen ${time(r.seenAt)}${r.watching == null ? '' : `, watches ${r.watching} components`}`).join('\n');
}

// The hosts' agents beside the replicas: how many poll, and which are lost (a lost agent's steps wait, then fail as unreachable).
function showAgents(agents) {
  const el = document.getElementById('agents');
  el.hidden = !agents?.length;
  if (!agents?.length) return;
  const lost = agents.filter((a) => !a.connected).map((a) => a.host);
  el.textContent = `agents ${agents.length - lost.length}/${agents.length} connected${lost.length ? ` · lost: ${lost.join(', ')}` : ''}`;
  el.classList.toggle('lost', lost.length > 0);
  el.title = agents.map((a) => `${a.host}: ${a.connected ? 'connected' : 'lost'}, ${a.version ? `version ${a.version}, ` : ''}${a.lastContact ? `last contact ${time(a.lastContact)}` : 'never polled'}`).join('\n');
}

async function start() {
  if (!csrf()) return toLogin();
  session = await api('whoami');
  document.getElementById('user').textContent = `${session.name} (${session.roles.join(', ')})`;
  for (const el of document.querySelectorAll('[data-role]')) el.hidden = !can(el.dataset.role);
  document.getElementById('logout').addEventListener('click', async () => {
    await fetch('/ui/logout', { method: 'POST', headers: { 'X-Rewind-CSRF': csrf() }, credentials: 'same-origin' });
    location.replace('/ui/login');
  });
  let queue = Promise.resolve(); // one change at a time, in order: a page never draws an older answer over a newer one
  onChange((change) => {
    queue = queue.then(() => current?.onChange?.(change)).catch((error) => console.warn(error));
  });
  connect(document.getElementById('live'));
  watchFaults();
  setInterval(watchFaults, 5000);
  setInterval(refreshAges, 1000); // every "… ago" on the page, whichever view drew it
  window.addEventListener('hashchange', route);
  await route();
}

start();
