import { api } from '../api.js';
import { busyButton, h, mount, openDialog, toast } from '../dom.js';
import { t } from '../i18n.js';
import { picture } from '../media.js';
import { session } from '../session.js';
import { businessForm } from '../components/business-form.js';
import { money } from '../catalog-util.js';
import { navigate } from '../router.js';
import { productForm } from '../components/product-form.js';
import { priceListsPanel } from '../components/price-lists.js';

export async function render(main, ctx) {
  const id = ctx.params.id;
  const [business, members] = await Promise.all([api.get(`/businesses/${id}`), api.get(`/businesses/${id}/members`)]);
  const myRole = members.items.find((m) => m.user_id === session.me.id)?.role;
  const canEdit = session.can('business.update') && (['owner', 'admin'].includes(session.me.role) || myRole === 'manager');
  const membersBox = h('div', { class: 'table-wrap' });
  const canManage = ['owner', 'admin'].includes(session.me.role) || Boolean(myRole);

  const details = h('dl', { class: 'details' },
    [['field.type', t(`type.${business.type}`)], ['field.city', business.city], ['field.address', business.address],
      ['field.phone', business.phone], ['field.email', business.email], ['field.website', business.website],
      ['field.description', business.description],
      ['field.location', business.latitude != null
        ? h('a', { href: `https://www.openstreetmap.org/?mlat=${business.latitude}&mlon=${business.longitude}#map=16/${business.latitude}/${business.longitude}`, rel: 'noopener', target: '_blank' },
          `${business.latitude}, ${business.longitude}`) : null]]
      .filter(([, v]) => v)
      .map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));

  // The profile reads as a profile; editing it is a step of its own.
  const edit = () => openDialog(t('businesses.edit'), (close) => businessForm(business, async () => {
    close();
    toast(t('businesses.saved'), 'success');
    await render(main, ctx);
  }, () => close()));

  mount(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/businesses' }, t('nav.businesses'))),
    h('h1', { tabindex: -1 }, business.name, business.verified ? h('span', { class: 'badge verified' }, `✓ ${t('businesses.verified')}`) : null),
    session.can('businesses.verify') ? h('label', { class: 'checkbox' },
      h('input', { type: 'checkbox', checked: business.verified, onchange: async (e) => {
        await api.put(`/businesses/${id}/verification`, { verified: e.target.checked });
        toast(t('businesses.saved'), 'success');
        await render(main, ctx);
      } }), t('businesses.markVerified')) : null,
    h('div', { class: 'grid-2' },
      h('section', { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', {}, t('businesses.profile')),
          canEdit ? h('button', { type: 'button', class: 'small', onclick: edit }, t('action.edit')) : null),
        picture(`/businesses/${id}/logo`, t('media.logoOf', { name: business.name }), canEdit),
        details),
      h('section', { class: 'panel' }, h('h2', {}, t('businesses.members')), membersBox)),
    await productsPanel(id, canManage),
    canManage ? await priceListsPanel(id) : null);
  await drawMembers(membersBox, id, members.items, canEdit);
}

/** The business's products (all statuses for its members and admins) and an "Add product" button. */
async function productsPanel(id, canManage) {
  const { items } = await api.get(`/products?business_id=${id}&limit=100`);
  const add = () => openDialog(t('product.add'), (close) => {
    const box = h('div');
    productForm(null, id, async (created) => { close(); toast(t('product.saved'), 'success'); navigate(`/products/${created.id}`); }, () => close())
      .then((form) => mount(box, form));
    return box;
  });
  return h('section', { class: 'panel' },
    h('div', { class: 'page-head' }, h('h2', {}, t('product.list')),
      canManage ? h('div', { class: 'actions' },
        h('a', { class: 'button', href: `/businesses/${id}/stock` }, t('stock.title')),
        h('a', { class: 'button', href: `/businesses/${id}/trade` }, t('tradeSettings.title')),
        h('a', { class: 'button', href: `/businesses/${id}/import` }, t('import.title')),
        h('button', { type: 'button', class: 'primary', onclick: add }, t('product.add'))) : null),
    items.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, [t('field.name'), t('product.sku'), t('product.price'), t('field.status')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((p) => h('tr', {}, h('td', { class: 'text' }, h('a', { href: `/products/${p.id}` }, p.name)), h('td', { class: 'text' }, p.sku),
        h('td', {}, money(p.price)), h('td', {}, t(`productStatus.${p.status}`)))))))
      : h('p', { class: 'empty' }, t('product.none')));
}

async function drawMembers(box, id, items, canEdit) {
  const reload = async () => drawMembers(box, id, (await api.get(`/businesses/${id}/members`)).items, canEdit);
  const rows = items.map((m) => h('tr', {},
    h('td', { class: 'text' }, m.name, h('div', { class: 'small muted' }, m.email)),
    h('td', {}, t(`memberRole.${m.role}`)),
    h('td', { class: 'actions' }, canEdit ? busyButton({ class: 'danger small' }, t('action.remove'), async () => {
      await api.del(`/businesses/${id}/members/${m.user_id}`);
      toast(t('businesses.memberRemoved'), 'success');
      await reload();
    }) : null)));
  const table = items.length
    ? h('table', {}, h('thead', {}, h('tr', {}, [t('field.name'), t('field.role'), ''].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows))
    : h('p', { class: 'empty' }, t('businesses.noMembers'));
  mount(box, table, canEdit ? await addMemberForm(id, items, reload) : null);
}

async function addMemberForm(id, members, reload) {
  if (!session.can('users.read')) return null;
  const users = (await api.get('/users?limit=200')).items.filter((u) => !u.disabled && !members.some((m) => m.user_id === u.id));
  if (!users.length) return null;
  const user = h('select', { 'aria-label': t('businesses.user') }, users.map((u) => h('option', { value: u.id }, `${u.name} <${u.email}>`)));
  const role = h('select', { 'aria-label': t('field.role') }, ['staff', 'manager'].map((r) => h('option', { value: r }, t(`memberRole.${r}`))));
  return h('div', { class: 'inline-form' }, user, role, busyButton({ class: 'primary' }, t('action.add'), async () => {
    await api.put(`/businesses/${id}/members/${user.value}`, { role: role.value });
    toast(t('businesses.memberAdded'), 'success');
    await reload();
  }));
}
