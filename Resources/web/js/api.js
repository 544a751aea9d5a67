// The API client: JSON in and out, the session cookie plus its CSRF token, problems as ApiError.

export class ApiError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || 'internal';
    this.fields = problem.errors || [];
    this.retryAfter = problem.retry_after;
    this.requestId = problem.request_id;
  }
}

let csrfToken = null;
let onUnauthenticated = () => {};

export function setCsrfToken(token) { csrfToken = token; }
export function setUnauthenticatedHandler(fn) { onUnauthenticated = fn; }

/** `raw` sends a Blob or File as it is (an upload) instead of JSON. */
export async function request(method, path, body, raw) {
  const headers = { Accept: 'application/json' };
  if (raw) headers['Content-Type'] = raw.type || 'text/csv';
  else if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method, headers, credentials: 'same-origin',
      body: raw || (body === undefined ? undefined : JSON.stringify(body)),
    });
  } catch {
    throw new ApiError({ code: 'network', detail: 'network' }, 0);
  }
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : {};
  if (!response.ok) {
    const error = new ApiError(data, response.status);
    if (response.status === 401 && !path.startsWith('/auth/login')) onUnauthenticated(error);
    throw error;
  }
  return data;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body = {}) => request('POST', path, body),
  patch: (path, body) => request('PATCH', path, body),
  put: (path, body) => request('PUT', path, body),
  del: (path) => request('DELETE', path),
  upload: (path, file) => request('POST', path, undefined, file),
};

/** Builds `?a=1&b=2` from the defined values of `params`. */
export function query(params) {
  // Spaces as %20, not URLSearchParams' "+": the server reads "+" in a query as itself.
  const text = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return text ? `?${text}` : '';
}
