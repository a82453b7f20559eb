// Elements are built from text nodes only: nothing from the API is ever parsed as HTML.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const time = (at) => at ? new Date(at).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '–';

// How long ago, as text: "11 s ago", "4 min ago", "2 h ago", "3 d ago".
export function since(at, now = Date.now()) {
  const s = Math.max(0, (now - new Date(at).getTime()) / 1000);
  if (s < 90) return `${Math.round(s)} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 129600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

// A relative time that stays true: a <time> element that refreshAges() rewrites, one timer for the whole page (app.js).
export function ago(at) {
  if (!at) return '–';
  return h('time', { datetime: new Date(at).toISOString(), title: time(at), 'data-ago': '' }, since(at));
}

export function refreshAges(root = document) {
  const now = Date.now();
  for (const el of root.querySelectorAll('time[data-ago]')) {
    const text = since(el.dateTime, now);
    if (el.textContent !== text) el.textContent = text;
  }
}

export const badge = (text, kind) => h('span', { class: `badge ${kind || text}` }, text);

export function table(headers, rows, caption) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))))));
}

export const link = (href, text) => h('a', { href }, text);
