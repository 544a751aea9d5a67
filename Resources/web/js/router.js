// A client-side router: deep links work because the server answers every app path with index.html.

const routes = [];
let renderRoute = () => {};

/** Registers `pattern` ('/businesses/:id') with a loader returning the page module. */
export function route(pattern, load, options = {}) {
  const names = [];
  const regex = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, n) => { names.push(n); return '([^/]+)'; })}/?$`);
  routes.push({ pattern, regex, names, load, ...options });
}

export function match(path) {
  for (const r of routes) {
    const m = r.regex.exec(path);
    if (m) return { route: r, params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return null;
}

/** Tells the page being left to stop its timers and live channels ('tp:leave' on window). */
function leave() { dispatchEvent(new Event('tp:leave')); }

export function navigate(path, { replace = false } = {}) {
  leave();
  if (path === location.pathname + location.search) return renderRoute();
  if (replace) history.replaceState(null, '', path); else history.pushState(null, '', path);
  return renderRoute();
}

/** Starts listening to history changes and to clicks on same-origin links. */
export function start(render) {
  renderRoute = render;
  addEventListener('popstate', () => { leave(); renderRoute(); });
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest('a[href]');
    if (!link || link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/assets/')) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
  return renderRoute();
}
