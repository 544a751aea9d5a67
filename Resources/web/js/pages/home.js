import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { plural, t } from '../i18n.js';
import { session } from '../session.js';

export async function render(main) {
  const me = session.me;
  if (session.isPlatformAdmin) {
    const tenants = await api.get('/admin/tenants?limit=200');
    const active = tenants.items.filter((x) => x.status === 'active').length;
    return mount(main,
      h('h1', { tabindex: -1 }, t('home.hello', { name: me.name })),
      h('div', { class: 'cards' },
        card('/platform/tenants', t('nav.tenants'), plural('tenants.count', tenants.items.length),
          t('home.activeTenants', { count: active }))));
  }
  const [businesses, users] = await Promise.all([
    api.get('/businesses?limit=200'),
    session.can('users.read') ? api.get('/users?limit=200') : Promise.resolve(null),
  ]);
  mount(main,
    h('h1', { tabindex: -1 }, t('home.hello', { name: me.name })),
    h('p', { class: 'muted' }, t('home.signedInAs', { tenant: me.tenant.name, role: t(`role.${me.role}`) })),
    h('div', { class: 'cards' },
      card('/businesses', t('nav.businesses'), plural('businesses.count', businesses.items.length), t('home.businessesHint')),
      users ? card('/users', t('nav.users'), plural('users.count', users.items.length), t('home.usersHint')) : null,
      card('/account', t('nav.account'), me.email, t('home.accountHint'))));
}

function card(href, title, figure, hint) {
  return h('a', { class: 'card', href }, h('h2', {}, title), h('p', { class: 'figure' }, figure), h('p', { class: 'muted' }, hint));
}
