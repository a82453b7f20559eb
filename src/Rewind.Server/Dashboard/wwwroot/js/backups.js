import { api } from './api.js';
import { h, replace, badge, time, ago, table } from './dom.js';

const size = (bytes) => bytes >= 1 << 30 ? `${(bytes / (1 << 30)).toFixed(1)} GiB` : bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;

// Per component with backups: the sets, WAL coverage and recovery point, and the newest base backup, verification and drill.
export async function render(view) {
  const components = (await api('components')).filter((c) => c.backups !== null);
  const sections = await Promise.all(components.map(async (c) => {
    const [sets, runs] = await Promise.all([api(`components/${encodeURIComponent(c.name)}/backup-sets`).catch((e) => ({ error: e.message })), api(`components/${encodeURIComponent(c.name)}/backups?limit=20`)]);
    const verify = runs.find((r) => r.kind === 'verify');
    return h('section', { class: 'card' },
      h('h2', {}, c.name),
      sets.error ? h('p', { class: 'error' }, sets.error) : [
        h('dl', { class: 'facts' },
          h('dt', {}, 'recovery point'), h('dd', {}, sets.recoveryPointSeconds === null ? 'no WAL archived' : [`${sets.recoveryPointSeconds.toFixed(0)} s (newest WAL `, ago(sets.newestWalAt), ')']),
          h('dt', {}, 'last verification'), h('dd', {}, verify ? [badge(verify.succeeded ? 'passed' : 'failed'), ` ${time(verify.finishedAt)}`] : 'none yet')),
        h('p', {}, sets.coverage),
        table(['set', 'finished', 'size', 'stored', 'WAL', 'encrypted'], sets.sets.map((s) => [s.setId, time(s.finished), size(s.totalSize), size(s.storedSize), `${s.walStart}..${s.walStop}`, s.encrypted ? 'yes' : 'no']), 'Base backups, newest first')],
      runs.length ? table(['kind', 'finished', 'result', 'summary'], runs.map((r) => [r.kind, time(r.finishedAt), badge(r.succeeded ? 'passed' : 'failed'), r.summary]), 'Scheduled runs') : null);
  }));
  replace(view, h('h1', {}, 'Backups'), sections.length ? sections : h('p', { class: 'muted' }, 'No component declares backups.'));
  return {};
}
