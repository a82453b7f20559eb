import { api, post } from './api.js';
import { h, badge, time, link } from './dom.js';

// A rollback as it runs: steps with their status, batch progress, the approvals it waits for, and who decided (kept
// on the page through the run and after it).
export async function rollbackPanel(id, ctx, changed) {
  const [rollback, approvals] = await Promise.all([api(`rollbacks/${id}`), api(`rollbacks/${id}/approvals`)]);
  const waiting = rollback.status === 'awaiting' || rollback.steps.some((s) => s.awaitingApproval);
  const done = rollback.steps.filter((s) => s.status === 'succeeded').length;
  return h('section', { class: 'card rollback', 'data-rollback': rollback.id, 'data-status': rollback.status, 'aria-label': `rollback ${rollback.id}` },
    h('header', {}, h('h3', {}, link(`#/rollbacks/${rollback.id}`, rollback.id)), badge(rollback.status)),
    h('p', {}, `${rollback.component}: ${rollback.fromVersion || '?'} → ${rollback.toVersion}, requested by ${rollback.requestedBy} at ${time(rollback.requestedAt)}`),
    h('p', { class: 'muted' }, rollback.reason),
    rollback.error ? h('p', { class: 'error' }, rollback.error) : null,
    h('label', { class: 'progress' }, `${done} of ${rollback.steps.length} steps done`,
      h('progress', { max: rollback.steps.length || 1, value: done, 'data-testid': 'rollback-progress' })),
    h('ol', { class: 'steps' }, rollback.steps.map(step)),
    decisions(approvals.approvals),
    waiting ? approvalBox(rollback, approvals, ctx, changed) : null,
    ctx.can('operator') && ['awaiting', 'pending', 'running'].includes(rollback.status)
      ? h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => abort(rollback.id, changed) }, 'Abort rollback')) : null);
}

function step(s) {
  const m = s.members;
  return h('li', { class: `step ${s.status}`, 'data-step-status': s.status },
    h('div', { class: 'step-head' }, badge(s.status), h('strong', {}, s.kind), s.attempts > 1 ? h('span', { class: 'muted' }, ` attempt ${s.attempts}`) : null,
      s.finishedAt && s.startedAt ? h('span', { class: 'muted' }, ` ${((new Date(s.finishedAt) - new Date(s.startedAt)) / 1000).toFixed(2)} s`) : null),
    h('p', { class: 'desc' }, s.description),
    m ? h('label', { class: 'progress' }, `${m.succeeded} of ${m.total} members done${m.failed ? `, ${m.failed} failed` : ''}${m.running ? `, ${m.running} running` : ''}`,
      h('progress', { max: m.total || 1, value: m.succeeded + m.failed })) : null,
    s.output ? h('details', {}, h('summary', {}, 'output'), h('pre', {}, s.output)) : null);
}

// Every decision on the rollback: on the request (the approval rules) and at its approval steps.
function decisions(list) {
  if (!list.length) return null;
  return h('div', { class: 'decisions', 'data-testid': 'approvals' }, h('h4', {}, 'Approvals'),
    h('ul', {}, list.map((a) => h('li', { 'data-approver': a.approver },
      `${a.approved ? 'approved' : 'denied'} by ${a.approver} (${a.roles.join(', ')})`,
      a.step === null || a.step === undefined ? '' : ` at step ${a.step + 1}`,
      ` at ${time(a.at)}`,
      a.note ? [': ', h('q', {}, a.note)] : null))));
}

function approvalBox(rollback, approvals, ctx, changed) {
  const rule = approvals?.rule;
  const who = rule ? [
    rule.anyOf.length ? `any one of: ${rule.anyOf.join(', ')}` : null,
    rule.allOf.length ? `a different person for each of: ${rule.allOf.join(', ')}` : null,
    !rule.anyOf.length && !rule.allOf.length ? 'any one other person' : null,
    rule.twoPerson ? `not ${rollback.requestedBy} (two-person rule)` : null,
    rule.secondFactor ? 'with a second-factor code' : null,
  ].filter(Boolean).join('; ') : rollback.steps.find((s) => s.awaitingApproval)?.description;
  const box = (...controls) => h('div', { class: 'approval', role: 'region', 'aria-label': 'approval' },
    h('h4', {}, 'Waiting for approval'),
    h('p', { 'data-testid': 'who-may-approve' }, 'Who may approve: ', who || '–'),
    approvals.missing ? h('p', {}, 'Still missing: ', approvals.missing) : null,
    rule ? h('p', { class: 'muted' }, `Decide by ${time(rule.decideBy)}`) : null,
    controls);
  const gate = rollback.status !== 'awaiting';
  const mine = ctx.session.name === rollback.requestedBy;
  if (!gate && !approvals.callerMayApprove && !mine) {
    return box(h('p', { class: 'muted' }, approvals.callerRefusal || 'You cannot decide on this rollback.'));
  }
  const message = h('p', { class: 'error', role: 'alert' });
  const note = h('input', { id: `note-${rollback.id}`, type: 'text', maxlength: 2000 });
  const code = rule?.secondFactor ? h('input', { id: `code-${rollback.id}`, type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6, 'data-testid': 'approval-code' }) : null;
  const decide = (verb) => async () => {
    message.textContent = '';
    try {
      await post(`rollbacks/${rollback.id}/${verb}`, { note: note.value || null, code: code?.value || null });
      changed();
    } catch (error) {
      message.textContent = error.message;
    }
  };
  // Built with h(), which leaves out what is null: the DOM's own append() would write the word "null" on the page.
  return box(h('div', { class: 'form-row' }, h('label', { for: note.id }, 'Note (optional)'), note),
    code ? h('div', { class: 'form-row' }, h('label', { for: code.id }, 'Second-factor code'), code) : null,
    h('p', { class: 'actions' },
      gate || approvals.callerMayApprove ? h('button', { type: 'button', class: 'primary', onclick: decide('approve'), 'data-testid': 'approve' }, 'Approve') : null,
      h('button', { type: 'button', class: 'secondary', onclick: decide('deny') }, mine && !gate ? 'Withdraw request' : 'Deny')),
    message);
}

// The way to ask for a rollback of a component, only where one can work: the component's answer carries the refusal
// the API's dry run would give (a PostgreSQL cluster, no known-good release, …); then the button is disabled and says why.
export function rollbackControl(component) {
  const label = `Roll back ${component.name}`;
  if (!component.rollbackRefusal) {
    return h('a', { class: 'button danger', href: `#/rollback?component=${encodeURIComponent(component.name)}`, 'data-testid': 'rollback-button' }, label);
  }
  const why = `refusal-${++refusals}`;
  return [h('button', { type: 'button', class: 'danger', disabled: true, 'aria-describedby': why, 'data-testid': 'rollback-button' }, label),
    h('span', { id: why, class: 'refusal muted small', 'data-testid': 'rollback-refusal' }, component.rollbackRefusal)];
}

let refusals = 0;

async function abort(id, changed) {
  const reason = window.prompt(`Why stop ${id}? (recorded)`);
  if (!reason) return;
  await post(`rollbacks/${id}/abort`, { reason });
  changed();
}
