// A sparkline in inline SVG: time on x, the value on y, and a dashed line (with a label) where a release was recorded.
const NS = 'http://www.w3.org/2000/svg';
const W = 200;
const H = 40;

function el(tag, attrs) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// points: [{at: ms, value}], markers: [{at: ms, label}]; fixed: {min, max} when the scale is known (0–100 %).
export function sparkline(title, points, { markers = [], unit = '', fixed, digits = 0, bad } = {}) {
  const figure = document.createElement('figure');
  figure.className = 'spark';
  const last = points.length ? points[points.length - 1].value : null;
  // The name on one line and the value on the next, each cut short rather than wrapped: every caption is two lines
  // high, so the charts beside each other (and in the cards beside each other) start at the same height.
  const caption = document.createElement('figcaption');
  const name = document.createElement('span');
  name.className = 'label';
  name.textContent = title;
  name.title = title;
  caption.append(name, ' ');
  const value = document.createElement('strong');
  value.textContent = last === null ? 'no data' : `${last.toFixed(digits)}${unit}`;
  if (last !== null && bad && bad(last)) value.className = 'bad';
  caption.append(value);
  figure.append(caption);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `${title}: ${value.textContent}, ${points.length} samples` });
  if (points.length > 1) {
    const t0 = points[0].at;
    const t1 = points[points.length - 1].at;
    const span = Math.max(1, t1 - t0);
    const values = points.map((p) => p.value);
    const min = fixed ? fixed.min : Math.min(...values);
    const max = fixed ? fixed.max : Math.max(...values, min + 1e-9);
    const x = (at) => ((at - t0) / span) * W;
    const y = (v) => H - 2 - ((v - min) / (max - min || 1)) * (H - 4);
    for (const m of markers.filter((m) => m.at >= t0 && m.at <= t1)) {
      svg.append(el('line', { x1: x(m.at), x2: x(m.at), y1: 0, y2: H, class: 'marker' }));
      const label = el('text', { x: Math.min(x(m.at) + 2, W - 24), y: 9, class: 'marker-label' });
      label.textContent = m.label;
      svg.append(label);
    }
    svg.append(el('polyline', { points: points.map((p) => `${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(' '), class: 'line' }));
  }
  figure.append(svg);
  return figure;
}

// The charts of one component from GET /components/{name}/samples and its releases. A raw point is one sample; a
// rollup point (resolution 1m or 1h) sums count samples, failures of them failed, latencyMs their mean.
export function signalCharts(history, releases) {
  const markers = releases.map((r) => ({ at: new Date(r.recordedAt).getTime(), label: r.version }));
  const probe = history.probes[0];
  const samples = probe ? probe.samples : [];
  const time = (s) => new Date(s.at).getTime();
  const count = (s) => s.count || 1;
  const failures = (s) => (s.failures ?? (s.success ? 0 : 1));
  const availability = samples.map((s, i) => {
    const window = s.resolution && s.resolution !== 'raw' ? [s] : samples.slice(Math.max(0, i - 9), i + 1);
    const total = window.reduce((n, w) => n + count(w), 0);
    return { at: time(s), value: (100 * (total - window.reduce((n, w) => n + failures(w), 0))) / total };
  });
  const latency = samples.map((s) => ({ at: time(s), value: s.latencyMs }));
  const errors = history.traffic.length
    ? history.traffic.map((t) => ({ at: time(t), value: 100 * t.errorRatio }))
    : samples.map((s) => ({ at: time(s), value: (100 * failures(s)) / count(s) }));
  const div = document.createElement('div');
  div.className = 'charts';
  div.dataset.resolutions = [...new Set(samples.map((s) => s.resolution || 'raw'))].join(' ');
  div.append(
    sparkline(history.traffic.length ? 'error rate' : 'probe errors', errors, { markers, unit: ' %', fixed: { min: 0, max: 100 }, digits: 1, bad: (v) => v >= 5 }),
    sparkline(`latency${probe ? ` (${probe.probe})` : ''}`, latency, { markers, unit: ' ms', digits: 0 }),
    sparkline('availability', availability, { markers, unit: ' %', fixed: { min: 0, max: 100 }, bad: (v) => v < 99 }));
  return div;
}
