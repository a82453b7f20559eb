import { api, post } from './api.js';
import { h, replace, badge, time, ago } from './dom.js';
import { rollbackPanel, rollbackControl } from './rollbackview.js';

// One incident: summary, evidence, live timeline, linked rollbacks, actions, and the report once resolved.
export async function render(view, ctx) {
  const id = ctx.id;
  const head = h('div', {});
  const actions = h('div', {});
  const evidence = h('section', { 'aria-labelledby': 'evidence' });
  const rollbacks = h('section', { 'aria-labelledby': 'rollbacks' });
  const timeline = h('section', { 'aria-labelledby': 'timeline' });
  const report = h('section', {});
  replace(view, head, actions, h('div', { class: 'columns' }, h('div', {}, rollbacks, evidence), timeline), report);
  let incident;
  let component = null;

  async function draw() {
    incident = await api(`incidents/${id}`);
    component = await api(`components/${encodeURIComponent(incident.component)}`).catch(() => null); // null: no longer in the config
    replace(head,
      h('h1', {}, incident.id, ' ', badge(incident.severity, 'sev'), ' ', badge(incident.status)),
      h('p', { class: 'lead' }, incident.title),
      h('dl', { class: 'facts' },
        h('dt', {}, 'component'), h('dd', {}, incident.component),
        h('dt', {}, 'release'), h('dd', {}, incident.release || '–'),
        h('dt', {}, 'opened'), h('dd', {}, time(incident.openedAt), ' (', ago(incident.openedAt), ')'),
        h('dt', {}, 'acknowledged'), h('dd', {}, incident.acknowledgedBy ? `${incident.acknowledgedBy} at ${time(incident.acknowledgedAt)}` : 'not yet'),
        incident.resolvedAt ? [h('dt', {}, 'resolved'), h('dd', {}, time(incident.resolvedAt))] : null,
        incident.escalation ? [h('dt', {}, 'escalation'), h('dd', {}, `level ${incident.escalation.level} of ${incident.escalation.levels} (${incident.escalation.policy})`)] : null));
    const proof = incident.timeline.filter((e) => e.kind === 'evidence' || e.kind === 'decision');
    replace(evidence, h('h2', { id: 'evidence' }, 'Evidence and decisions'), proof.length
      ? h("ul", { class: "proof" }, proof.map((e) => h('li', {}, badge(e.kind), ' ', h('span', { class: 'muted' }, time(e.at), ' · ', e.actor), h('p', {}, e.message))))
      : h('p', { class: 'muted' }, 'None recorded.'));
    replace(timeline, h('h2', { id: 'timeline' }, 'Timeline'), h('ol', { class: 'timeline', 'data-testid': 'timeline' },
      incident.timeline.map((e) => h('li', { 'data-kind': e.kind }, h('span', { class: 'muted' }, time(e.at)), ' ', badge(e.kind), ' ', h('span', { class: 'actor' }, e.actor), h('p', {}, e.message)))));
    replace(actions, ctx.can('operator') && incident.status !== 'resolved' ? actionForm() : null,
      ctx.can('operator') && incident.status === 'resolved' ? noteForm() : null);
    await drawRollbacks();
    if (incident.status === 'resolved') {
      const rendered = h('div', { class: 'report', 'data-testid': 'report' });
      // The one piece of HTML from the API: rendered by the server from Markdown in which every recorded text is escaped,
      // with raw HTML off and unsafe links left as text (IncidentReport.ToHtmlFragment); the page's CSP runs no inline script.
      rendered.innerHTML = await api(`incidents/${id}/report?format=fragment`);
      replace(report, h('h2', {}, 'Post-incident report'),
        h('p', {}, h('a', { href: `/api/v1/incidents/${id}/report?format=html`, target: '_blank', rel: 'noopener' }, 'Open as a page'),
          ' · ', h('a', { href: `/api/v1/incidents/${id}/report?format=md`, target: '_blank', rel: 'noopener' }, 'Markdown')),
        rendered);
    }
  }

  async function drawRollbacks() {
    const panels = await Promise.all(incident.rollbacks.slice().reverse().map((r) => rollbackPanel(r, ctx, drawRollbacks)));
    replace(rollbacks, h('h2', { id: 'rollbacks' }, 'Rollbacks'), panels.length ? panels : h('p', { class: 'muted' }, 'None yet.'),
      ctx.can('operator') && incident.status !== 'resolved' && component ? h('p', { class: 'actions' }, rollbackControl(component)) : null);
  }

  function form(label, button, submit, extra) {
    const input = h('input', { id: `f-${button}`, type: 'text', maxlength: 4000, required: true });
    const message = h('p', { class: 'error', role: 'alert' });
    return h('form', { class: 'inline', onsubmit: async (event) => {
      event.preventDefault();
      message.textContent = '';
      try {
        await submit(input.value, event.target);
        input.value = '';
        await draw();
      } catch (error) {
        message.textContent = error.message;
      }
    } }, h('label', { for: input.id }, label), input, extra, h('button', { type: 'submit', class: 'secondary' }, button), message);
  }

  const noteForm = () => form('Note for the timeline', 'Add note', (text) => post(`incidents/${id}/notes`, { text }));

  function actionForm() {
    return h('div', { class: 'card actions-card' },
      incident.acknowledgedBy ? null : h('p', {}, h('button', { type: 'button', class: 'primary', onclick: async () => { await post(`incidents/${id}/acknowledge`); await draw(); } }, 'Acknowledge')),
      noteForm(),
      form('Resolve, saying why', 'Resolve', (note, f) => post(`incidents/${id}/resolve`, { note, falsePositive: f.querySelector('[name=fp]').checked }),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'fp' }), ' false positive')));
  }

  await draw();
  return {
    onChange: async (c) => {
      if (c.kind === 'hello' || (c.kind === 'incident' && c.id === id)) await draw();
      else if (c.kind === 'rollback' && incident.rollbacks.includes(c.id)) await drawRollbacks();
    },
  };
}
