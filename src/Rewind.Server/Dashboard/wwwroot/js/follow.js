import { h, replace, link } from './dom.js';
import { rollbackPanel } from './rollbackview.js';
import { api } from './api.js';

// One rollback followed live: #/rollbacks/RB-…
export async function render(view, ctx) {
  const id = ctx.id;
  const slot = h('div', {});
  const rollback = await api(`rollbacks/${id}`);
  replace(view, h('h1', {}, `Rollback ${id}`),
    rollback.incidentId ? h('p', {}, 'Incident ', link(`#/incidents/${rollback.incidentId}`, rollback.incidentId)) : null, slot);
  const draw = async () => replace(slot, await rollbackPanel(id, ctx, draw));
  await draw();
  return { onChange: (c) => (c.kind === 'hello' || (c.kind === 'rollback' && c.id === id)) && draw() };
}
