// The app frame: brand, navigation that follows the user's permissions, language switch, account menu.
import { api } from './api.js';
import { h, mount } from './dom.js';
import { language, languages, setLanguage, t } from './i18n.js';
import { navigate } from './router.js';
import { session } from './session.js';
import { listen, refreshUnread } from './talk.js';

let stopBadge = () => {};
let stopBell = () => {};

function navItems() {
  const items = [];
  if (session.isPlatformAdmin) {
    items.push(['/platform/tenants', 'nav.tenants', 'tenants.read'], ['/jobs', 'nav.jobs', 'jobs.read'], ['/audit', 'nav.audit', 'audit.read']);
  } else {
    items.push(['/', 'nav.home', null], ['/catalog', 'nav.catalog', 'catalog.read'], ['/cart', 'nav.cart', 'catalog.read'],
      ['/orders', 'nav.orders', 'catalog.read'], ['/invoices', 'nav.invoices', 'catalog.read'], ['/messages', 'nav.messages', 'conversations.read'],
      ['/inbox', 'nav.inbox', 'conversations.read'], ['/contacts', 'nav.contacts', 'conversations.read'],
      ['/salespeople', 'nav.salespeople', 'conversations.read'], ['/businesses', 'nav.businesses', 'businesses.read'],
      ['/moderation', 'nav.moderation', 'products.review'], ['/search-settings', 'nav.searchSettings', 'catalog.settings'],
      ['/users', 'nav.users', 'users.read'], ['/storage', 'nav.storage', 'storage.manage'],
      ['/webhooks', 'nav.webhooks', 'webhooks.manage'], ['/channels', 'nav.channels', 'channels.manage'],
      ['/jobs', 'nav.jobs', 'jobs.read'], ['/audit', 'nav.audit', 'audit.read']);
  }
  items.push(['/account', 'nav.account', null]);
  return items.filter(([, , permission]) => !permission || session.can(permission));
}

async function logout() {
  try { await api.post('/auth/logout'); } catch { /* the session may already be gone */ }
  session.set(null);
  navigate('/login', { replace: true });
}

/** Draws the frame around the page and returns the <main> element for the page to fill. */
export function renderFrame(app, path) {
  const me = session.me;
  const links = navItems().map(([href, key]) => {
    const active = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
    return h('a', { href, class: active ? 'nav-link active' : 'nav-link', 'aria-current': active ? 'page' : null }, t(key),
      href === '/messages' ? unreadBadge() : null);
  });
  const langSelect = h('select', {
    class: 'lang-select', 'aria-label': t('nav.language'),
    onchange: async (e) => {
      await setLanguage(e.target.value, true);
      if (!session.isPlatformAdmin) api.patch('/me', { locale: e.target.value }).catch(() => {});
      navigate(location.pathname + location.search, { replace: true });
    },
  }, languages.map((l) => h('option', { value: l.code, selected: l.code === language() }, l.name)));
  const menuButton = h('button', {
    class: 'menu-toggle', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'site-nav',
    onclick: (e) => {
      const open = e.currentTarget.getAttribute('aria-expanded') !== 'true';
      e.currentTarget.setAttribute('aria-expanded', String(open));
      document.getElementById('site-nav').classList.toggle('open', open);
    },
  }, h('span', { class: 'visually-hidden' }, t('nav.menu')), '☰');
  const main = h('main', { id: 'main', class: 'page', tabindex: -1 });
  mount(app,
    h('header', { class: 'topbar' },
      h('a', { href: '/', class: 'brand' }, h('img', { src: document.querySelector('link[rel=icon]').href, alt: '', width: 28, height: 28 }), 'Tradepost'),
      me.tenant ? h('span', { class: 'tenant-name', title: me.tenant.slug }, me.tenant.name) : h('span', { class: 'tenant-name' }, t('nav.platform')),
      me.tenant ? bell() : null,
      menuButton),
    h('div', { class: 'shell' },
      h('nav', { id: 'site-nav', class: 'sidenav', 'aria-label': t('nav.main') },
        links,
        h('div', { class: 'sidenav-footer' },
          h('div', { class: 'who' }, h('strong', {}, me.name), h('span', {}, me.email)),
          langSelect,
          h('button', { type: 'button', class: 'link-button', onclick: logout }, t('nav.logout')))),
      main));
  return main;
}

/** The bell: a link to the notification centre with the unread count, kept live by the socket. */
function bell() {
  const count = h('span', { class: 'badge bell-count', hidden: true });
  const link = h('a', { href: '/notifications', class: 'bell', 'aria-label': t('notify.bell', { count: 0 }) },
    h('span', { class: 'bell-icon', 'aria-hidden': 'true' }), count);
  let unread = 0;
  const show = () => {
    count.hidden = !unread;
    count.textContent = unread > 99 ? '99+' : String(unread);
    link.setAttribute('aria-label', t('notify.bell', { count: unread }));
  };
  stopBell();
  api.get('/notifications?limit=1').then((page) => { unread = page.unread; show(); }).catch(() => {});
  stopBell = listen((m) => {
    if (m.type === 'notification' && !m.notification.read_at) { unread += 1; show(); }
    if (m.type === 'notifications.read') { unread = m.unread; show(); }
  });
  addEventListener('tp:notifications-read', (e) => { unread = e.detail; show(); });
  return link;
}

/** The unread total beside "Messages", kept by the live socket's inbox topic. */
function unreadBadge() {
  const badge = h('span', { class: 'badge unread-badge', hidden: true });
  const show = (total) => {
    badge.hidden = !total;
    badge.textContent = !total ? '' : total > 99 ? '99+' : String(total);
    badge.setAttribute('aria-label', t('talk.unreadCount', { count: total }));
  };
  stopBadge();
  refreshUnread().then((u) => show(u.total));
  stopBadge = listen((m) => { if (m.type === 'inbox') show(m.total); });
  return badge;
}
