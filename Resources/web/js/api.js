// The API client: JSON in and out, the session cookie plus its CSRF token, problems as ApiError.

export class ApiError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || 'internal';
    this.fields = problem.errors || [];
    this.retryAfter = problem.retry_after;
    this.requestId = problem.request_id;
    /** The whole problem: its extension members (state, available, total…) are the client's to act on. */
    this.body = problem;
  }
}

let csrfToken = null;
let onUnauthenticated = () => {};

export function setCsrfToken(token) { csrfToken = token; }
export function setUnauthenticatedHandler(fn) { onUnauthenticated = fn; }

/** `raw` sends a Blob or File as it is (an upload) instead of JSON. */
export async function request(method, path, body, raw, extra = {}) {
  const headers = { Accept: 'application/json', ...extra };
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
  /** A POST that creates something, sent with `key` as its Idempotency-Key: sending it again
   *  (a retry, a double click) gets the first answer and records nothing twice. */
  create: (path, body, key) => request('POST', path, body, undefined, { 'Idempotency-Key': key }),
};

/** A fresh Idempotency-Key (random, 128 bits; works without a secure context). */
export function idempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Builds `?a=1&b=2` from the defined values of `params`. */
export function query(params) {
  // Spaces as %20, not URLSearchParams' "+": the server reads "+" in a query as itself.
  const text = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return text ? `?${text}` : '';
}
