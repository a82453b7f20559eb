// One EventSource for the whole page: change notices from GET /api/v1/events. The browser reconnects by itself;
// each (re)connection begins with "hello", on which the current page reads everything again.
const listeners = new Set();
let source;

export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function connect(status) {
  source = new EventSource('/api/v1/events');
  source.addEventListener('change', (event) => {
    const change = JSON.parse(event.data);
    if (change.kind === 'hello') {
      status.textContent = 'live';
      status.className = 'live on';
    }
    for (const listener of listeners) listener(change);
  });
  source.addEventListener('error', () => {
    const closed = source.readyState === EventSource.CLOSED;
    status.textContent = closed ? 'offline' : 'reconnecting…';
    status.className = 'live off';
    // Refused (the user's streams are all in use in other tabs, say): the browser gives up, so try again later.
    if (closed) setTimeout(() => connect(status), 5000);
  });
}
