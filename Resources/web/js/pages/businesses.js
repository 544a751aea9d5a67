import { api, query } from '../api.js';
import { h, mount, openDialog, toast } from '../dom.js';
import { t } from '../i18n.js';
import { pager } from '../pager.js';
import { navigate } from '../router.js';
import { session } from '../session.js';
import { businessForm } from '../components/business-form.js';
import { BUSINESS_TYPES } from '../constants.js';

export async function render(main) {
  const list = h('div', { class: 'business-grid' });
  const more = h('button', { type: 'button', hidden: true }, t('action.loadMore'));
  const search = h('input', { type: 'search', placeholder: t('businesses.search'), 'aria-label': t('businesses.search') });
  const type = h('select', { 'aria-label': t('field.type') },
    h('option', { value: '' }, t('businesses.allTypes')), BUSINESS_TYPES.map((x) => h('option', { value: x }, t(`type.${x}`))));
  const verified = h('input', { type: 'checkbox', id: 'verified-only' });
  const { load } = pager((cursor) => api.get(`/businesses${query({ q: search.value.trim(), type: type.value,
    verified: verified.checked ? 'true' : '', cursor, limit: 48 })}`), draw, more);

  function draw(rows) {
    if (!rows.length) return mount(list, h('p', { class: 'empty' }, t('businesses.none')));
    mount(list, rows.map((b) => h('a', { class: 'card business-card', href: `/businesses/${b.id}` },
      h('span', { class: `badge type-${b.type}` }, t(`type.${b.type}`)),
      b.verified ? h('span', { class: 'badge verified' }, `✓ ${t('businesses.verified')}`) : null,
      h('h2', {}, b.name),
      h('p', { class: 'muted' }, [b.city, b.phone].filter(Boolean).join(' · ')))));
  }

  let timer;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => load(true), 250); });
  type.addEventListener('change', () => load(true));
  verified.addEventListener('change', () => load(true));

  const add = () => openDialog(t('businesses.add'), (close) => businessForm(null, async (created) => {
    toast(t('businesses.added', { name: created.name }), 'success');
    close();
    navigate(`/businesses/${created.id}`);
  }, () => close()));

  mount(main,
    h('div', { class: 'page-head' },
      h('h1', { tabindex: -1 }, t('nav.businesses')),
      session.can('businesses.create') ? h('button', { class: 'primary', type: 'button', onclick: add }, t('businesses.add')) : null),
    h('div', { class: 'filters' }, search, type, h('label', { class: 'checkbox' }, verified, t('businesses.verifiedOnly'))),
    list, more);
  await load(true);
}
