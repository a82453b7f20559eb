import { api } from './api.js';
import { h, replace, badge, time, table } from './dom.js';

// The newest 100 audit entries (admin), newest first, and whether the hash chain is intact.
export async function render(view, ctx) {
  if (!ctx.can('admin')) {
    replace(view, h('h1', {}, 'Audit log'), h('p', {}, 'The audit log needs the admin role.'));
    return {};
  }
  const draw = async () => {
    const check = await api('audit/verify');
    const entries = await api(`audit?after=${Math.max(0, check.entries - 100)}&limit=100`);
    replace(view, h('h1', {}, 'Audit log'),
      h('p', {}, badge(check.intact ? 'intact' : 'broken'), ` hash chain of ${check.entries} entries`, check.problems.length ? `: ${check.problems.join('; ')}` : ''),
      table(['#', 'at', 'actor', 'action', 'target', 'from', 'result', 'count', 'detail'], entries.reverse().map((e) => [e.seq, time(e.at), e.actor, e.action, e.target, e.source, badge(e.result, /^2/.test(e.result) ? 'ok' : 'refused'), e.count, e.detail])));
  };
  await draw();
  return {};
}
