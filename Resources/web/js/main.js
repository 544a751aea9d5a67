// Boot: pick the language, find out who is signed in, then route.
import { api, setUnauthenticatedHandler } from './api.js';
import { h, mount } from './dom.js';
import { detectLanguage, setLanguage, t } from './i18n.js';
import { renderFrame } from './layout.js';
import { match, navigate, route, start } from './router.js';
import { session } from './session.js';
import * as telegram from './telegram.js';

route('/login', () => import('./pages/login.js'), { public: true });
route('/', () => import('./pages/home.js'));
route('/account', () => import('./pages/account.js'));
route('/users', () => import('./pages/users.js'), { permission: 'users.read' });
route('/businesses', () => import('./pages/businesses.js'), { permission: 'businesses.read' });
route('/businesses/:id', () => import('./pages/business.js'), { permission: 'businesses.read' });
route('/businesses/:id/import', () => import('./pages/import.js'), { permission: 'catalog.read' });
route('/businesses/:id/stock', () => import('./pages/stock.js'), { permission: 'catalog.read' });
route('/platform/tenants', () => import('./pages/tenants.js'), { permission: 'tenants.read' });
route('/jobs', () => import('./pages/jobs.js'), { permission: 'jobs.read' });
route('/catalog', () => import('./pages/catalog.js'), { permission: 'catalog.read' });
route('/products/:id', () => import('./pages/product.js'), { permission: 'catalog.read' });
route('/cart', () => import('./pages/cart.js'), { permission: 'catalog.read' });
route('/orders', () => import('./pages/orders.js'), { permission: 'catalog.read' });
route('/orders/:id', () => import('./pages/order.js'), { permission: 'catalog.read' });
route('/invoices', () => import('./pages/invoices.js'), { permission: 'catalog.read' });
route('/messages', () => import('./pages/messages.js'), { permission: 'conversations.read' });
route('/messages/:id', () => import('./pages/conversation.js'), { permission: 'conversations.read' });
route('/inbox', () => import('./pages/inbox.js'), { permission: 'conversations.read' });
route('/inbox/channels', () => import('./pages/inbox-channels.js'), { permission: 'channels.manage' });
route('/inbox/:id', () => import('./pages/inbox-conversation.js'), { permission: 'conversations.read' });
route('/contacts', () => import('./pages/contacts.js'), { permission: 'conversations.read' });
route('/contacts/:id', () => import('./pages/contacts.js'), { permission: 'conversations.read' });
route('/notifications', () => import('./pages/notifications.js'), { permission: 'notifications.read' });
route('/webhooks', () => import('./pages/webhooks.js'), { permission: 'webhooks.manage' });
route('/channels', () => import('./pages/channels.js'), { permission: 'channels.manage' });
route('/salespeople', () => import('./pages/salespeople.js'), { permission: 'conversations.read' });
route('/businesses/:id/trade', () => import('./pages/trade-settings.js'), { permission: 'businesses.read' });
route('/moderation', () => import('./pages/moderation.js'), { permission: 'products.review' });
route('/search-settings', () => import('./pages/search-settings.js'), { permission: 'catalog.settings' });
route('/storage', () => import('./pages/storage.js'), { permission: 'storage.manage' });
route('/audit', () => import('./pages/audit.js'), { permission: 'audit.read' });
route('/storage/buckets/:bucket', () => import('./pages/storage-bucket.js'), { permission: 'storage.manage' });

function loginPath() {
  const here = location.pathname + location.search;
  return here === '/' || here.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

async function render() {
  const app = document.getElementById('app');
  const path = location.pathname;
  const found = match(path);
  const ctx = { params: found?.params || {}, query: new URLSearchParams(location.search) };
  if (found?.route.public) {
    if (session.me) return navigate('/', { replace: true });
    const page = await found.route.load();
    return page.render(app, ctx);
  }
  if (!session.me) return navigate(loginPath(), { replace: true });
  const main = renderFrame(app, path);
  if (!found) return mount(main, h('h1', { tabindex: -1 }, t('error.notFound.title')), h('p', {}, t('error.notFound.text')));
  if (found.route.permission && !session.can(found.route.permission)) {
    return mount(main, h('h1', { tabindex: -1 }, t('error.forbidden.title')), h('p', {}, t('error.forbidden.text')));
  }
  try {
    const page = await found.route.load();
    await page.render(main, ctx);
  } catch (error) {
    if (error.status === 401) return;
    mount(main, h('h1', { tabindex: -1 }, t('error.generic.title')), h('p', { class: 'error-text' }, error.message));
  }
  main.querySelector('h1')?.focus({ preventScroll: true });
}

async function boot() {
  await setLanguage(detectLanguage());
  setUnauthenticatedHandler(() => {
    if (!session.me) return;
    session.set(null);
    navigate(loginPath(), { replace: true });
  });
  const tg = telegram.launch();
  if (tg) telegram.adopt(tg);
  try {
    const { me } = await api.get('/auth/session');
    session.set(me);
    if (!me && tg && !(await telegram.signIn(tg, document.getElementById('app')))) return;
    if (me?.locale && !localStorage.getItem('tp.lang')) await setLanguage(me.locale);
  } catch (error) {
    if (error.code === 'tenant_suspended') return mount(document.getElementById('app'), h('main', { id: 'main', class: 'login-page' },
      h('section', { class: 'login-card' }, h('h1', {}, t('error.forbidden.title')), h('p', {}, t('login.suspended')),
        h('button', { type: 'button', class: 'primary', onclick: async () => { await api.post('/auth/logout'); location.assign('/login'); } }, t('nav.logout')))));
    console.warn('could not load the session', error.code);
  }
  await start(render);
}

boot();
