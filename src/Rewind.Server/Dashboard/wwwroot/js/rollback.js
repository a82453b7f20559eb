import { api, post } from './api.js';
import { h, replace, badge } from './dom.js';

// Ask for a rollback: component, target (the last known good preselected; only stable releases can be chosen), the dry
// run of exactly that, a reason, and the component's name typed again before the button works.
export async function render(view, ctx) {
  if (!ctx.can('operator')) {
    replace(view, h('h1', {}, 'Roll back'), h('p', {}, 'Rolling back needs the operator role.'));
    return {};
  }
  const components = await api('components');
  const component = h('select', { id: 'rb-component', required: true }, components.map((c) => h('option', { value: c.name }, c.name)));
  const target = h('select', { id: 'rb-target', required: true });
  const reason = h('textarea', { id: 'rb-reason', required: true, maxlength: 2000, rows: 2 });
  const emergency = h('input', { id: 'rb-emergency', type: 'checkbox' });
  const confirm = h('input', { id: 'rb-confirm', type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const plan = h('div', { class: 'plan', 'aria-live': 'polite' });
  const message = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'danger', disabled: true, 'data-testid': 'confirm-rollback' }, 'Roll back');
  const confirmLabel = h('label', { for: confirm.id });
  let planned = false;
  const wanted = ctx.params.get('component');
  if (wanted && components.some((c) => c.name === wanted)) component.value = wanted;

  const ready = () => {
    submit.disabled = !(planned && confirm.value === component.value && reason.value.trim());
    submit.textContent = `Roll back ${component.value}`;
    replace(confirmLabel, 'Type ', h('code', {}, component.value), ' to confirm');
  };

  async function targets() {
    const releases = await api(`components/${encodeURIComponent(component.value)}/releases`);
    const current = components.find((c) => c.name === component.value)?.currentVersion;
    replace(target, releases.map((r) => h('option', {
      value: r.version,
      disabled: r.state !== 'stable' || r.version === current,
      selected: r.lastKnownGood,
    }, `${r.version} — ${r.version === current ? 'current' : r.state}${r.lastKnownGood ? ' (last known good)' : ''}`)));
    await dryRun();
  }

  async function dryRun() {
    planned = false;
    ready();
    replace(plan, h('p', { class: 'muted' }, 'Planning…'));
    try {
      const p = await post('rollbacks', { component: component.value, toVersion: target.value || null, reason: 'dry run from the dashboard', dryRun: true, emergency: emergency.checked });
      replace(plan, h('h2', {}, 'Dry run'), h('p', {}, `${p.component}: ${p.fromVersion || '?'} → ${p.toVersion}`, p.schemaChange ? ` (schema ${p.schemaChange})` : ''),
        h('ol', { class: 'steps', 'data-testid': 'dry-run' }, p.steps.map((s) => h('li', {}, h('strong', {}, s.kind), h('p', { class: 'desc' }, s.description)))),
        p.approval ? approvalNote(p.approval) : null);
      planned = true;
    } catch (error) {
      replace(plan, h('p', { class: 'error' }, badge('refused'), ' ', error.message));
    }
    ready();
  }

  const form = h('form', { class: 'card request', onsubmit: async (event) => {
    event.preventDefault();
    message.textContent = '';
    submit.disabled = true;
    try {
      const rollback = await post('rollbacks', { component: component.value, toVersion: target.value || null, reason: reason.value.trim(), emergency: emergency.checked });
      location.hash = `#/rollbacks/${rollback.id}`;
    } catch (error) {
      message.textContent = error.message;
      ready();
    }
  } },
  h('div', { class: 'form-row' }, h('label', { for: component.id }, 'Component'), component),
  h('div', { class: 'form-row' }, h('label', { for: target.id }, 'Target release'), target),
  h('div', { class: 'form-row' }, h('label', { for: reason.id }, 'Reason (recorded)'), reason),
  h('div', { class: 'form-row check' }, emergency, h('label', { for: emergency.id }, ' Emergency: skip pauses and skippable gates (recorded)')),
  plan,
  h('div', { class: 'form-row' }, confirmLabel, confirm),
  h('p', {}, submit), message);

  component.addEventListener('change', () => { confirm.value = ''; targets(); });
  target.addEventListener('change', dryRun);
  emergency.addEventListener('change', dryRun);
  confirm.addEventListener('input', ready);
  reason.addEventListener('input', ready);
  replace(view, h('h1', {}, 'Roll back'), form);
  await targets();
  return {};
}

// The approval rule the rollback will wait for once requested, as the dry run names it.
function approvalNote(a) {
  const how = [`approval rule ${a.rule}`, a.twoPerson ? 'two-person: not you' : null, a.secondFactor ? 'approvers give an authenticator code' : null].filter(Boolean).join('; ');
  return h('p', { class: 'notice', 'data-testid': 'dry-run-approval' }, h('strong', {}, 'Approval needed'),
    ` before anything runs (${how}): ${a.needs}; decide within ${span(a.decideWithin)}, then it ${a.onTimeout}.`);
}

// A .NET TimeSpan as JSON ("[d.]hh:mm:ss[.fff]") in the config's words: 15m, 1h30m, 2d.
function span(text) {
  const m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)/.exec(text || '') || [];
  const parts = [[m[1], 'd'], [m[2], 'h'], [m[3], 'm'], [m[4], 's']].filter(([v]) => Number(v || 0) > 0).map(([v, unit]) => `${Number(v)}${unit}`);
  return parts.join('') || '0s';
}
