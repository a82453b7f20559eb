import { api } from './api.js';
import { h, replace, badge, time, link, table } from './dom.js';

// The releases of one component, newest first: #/releases/NAME
export async function render(view, ctx) {
  const components = await api('components');
  const name = ctx.id || components[0]?.name;
  const body = h('div', {});
  replace(view, h('h1', {}, 'Releases'),
    h('nav', { class: 'tabs', 'aria-label': 'Components' }, components.map((c) => h('a', { href: `#/releases/${encodeURIComponent(c.name)}`, 'aria-current': c.name === name ? 'page' : false }, c.name))),
    body);
  const draw = async () => {
    if (!name) return replace(body, h('p', { class: 'muted' }, 'No components.'));
    const releases = await api(`components/${encodeURIComponent(name)}/releases`);
    replace(body, releases.length === 0 ? h('p', { class: 'muted' }, 'No release recorded yet.') : table(
      ['version', 'state', 'recorded', 'by', 'commit', 'stable since', 'incident'],
      releases.map((r) => [h('strong', {}, r.version), [badge(r.state), r.lastKnownGood ? badge('last known good', 'lkg') : null], time(r.recordedAt), r.recordedBy || '–', r.commit || '–', time(r.stableAt), r.incident ? link(`#/incidents/${r.incident}`, r.incident) : '–']),
      `${name}: newest first; bad and rolled-back releases are never a rollback target`));
  };
  await draw();
  return { onChange: (c) => (c.kind === 'hello' || (c.kind === 'component' && c.id === name)) && draw() };
}
