// The dashboard is a client of /api/v1, like the CLI. The session cookie authenticates; requests that change state
// carry the session's CSRF value, read from its (non-HttpOnly) cookie, in X-Rewind-CSRF.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem.title || `HTTP ${status}`;
  }
}

export function csrf() {
  const found = document.cookie.split('; ').find((c) => c.startsWith('rewind-csrf='));
  return found ? decodeURIComponent(found.slice('rewind-csrf='.length)) : '';
}

let leaving = false;

export function toLogin() {
  if (leaving) return; // several requests may find the session gone at once: one navigation, not a second one racing the first
  leaving = true;
  sessionStorage.setItem('rewind-return', location.hash);
  location.replace('/ui/login');
}

export async function api(path, options = {}) {
  const method = options.method || 'GET';
  const headers = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-Rewind-CSRF'] = csrf();
  const response = await fetch(path.startsWith('/') ? path : `/api/v1/${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: 'same-origin',
  });
  if (response.status === 401) {
    toLogin();
    throw new ApiError(401, { title: 'not authenticated' });
  }
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

export const post = (path, body) => api(path, { method: 'POST', body: body || {} });
