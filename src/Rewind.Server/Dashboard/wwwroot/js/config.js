import { h, replace, time } from './dom.js';

// The controller's config file as the health answer tells it: a reload that was refused (the running config stays in
// force; each error at its file:line:column) and settings changed in the file that wait for a restart. Nothing is shown
// once a later reload is applied or the file matches what runs.
export function showConfig(config) {
  const el = document.getElementById('config-notice');
  const last = config?.lastReload;
  const refused = last?.outcome === 'refused';
  const restart = last?.needsRestart?.length ? last.needsRestart : [];
  el.hidden = !refused && restart.length === 0;
  el.classList.toggle('refused', refused);
  if (el.hidden) return;
  replace(el,
    refused && h('strong', {}, `Config reload refused ${time(last.at)} (asked by ${last.actor}); version ${config.version} stays in force:`),
    refused && last.errors.map((e) => h('span', { class: 'config-error' }, `${e.file}:${e.line}:${e.column}: ${e.message}`)),
    restart.length > 0 && h('span', { class: 'config-restart' },
      `Needs a restart to take effect (running values kept): ${restart.map((s) => `${s.key} (${s.file}:${s.line}:${s.column})`).join(', ')}`));
}
