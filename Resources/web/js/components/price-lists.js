// A seller's customer price lists on its business page: its buyer groups, the lists, a form for a
// new list (a buyer business or group, validity, "SKU = price" lines) and delete.
import { api } from '../api.js';
import { busyButton, field, h, mount, openDialog, showErrors, toast } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { buyerGroupsPanel, buyers } from './buyer-groups.js';

/** The buyer groups panel and the price lists panel. */
export async function priceListsPanel(businessId) {
  const box = h('div', { class: 'table-wrap' });
  const section = h('section', { class: 'panel' },
    h('div', { class: 'page-head' }, h('h2', {}, t('priceList.title')),
      h('button', { type: 'button', onclick: () => create(businessId, () => draw(box, businessId)) }, t('priceList.add'))),
    h('p', { class: 'muted small' }, t('priceList.help')), box);
  await draw(box, businessId);
  // A removed group takes its lists with it, and a renamed one shows under its new name.
  return h('div', {}, await buyerGroupsPanel(businessId, () => draw(box, businessId)), section);
}

async function draw(box, businessId) {
  const [{ items }, others, groups] = await Promise.all([api.get(`/businesses/${businessId}/price-lists`), buyers(businessId),
    api.get(`/businesses/${businessId}/buyer-groups`)]);
  const names = Object.fromEntries(others.map((b) => [b.id, b.name]));
  const groupNames = Object.fromEntries(groups.items.map((g) => [g.id, g.name]));
  if (!items.length) { mount(box, h('p', { class: 'empty' }, t('priceList.none'))); return; }
  mount(box, h('table', {},
    h('thead', {}, h('tr', {}, [t('field.name'), t('priceList.buyer'), t('priceList.valid'), t('priceList.items'), ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((l) => h('tr', {},
      h('td', { class: 'text' }, l.name),
      h('td', { class: 'text' }, l.buyer_business_id ? (names[l.buyer_business_id] || l.buyer_business_id)
        : `${t('priceList.group')}: ${groupNames[l.buyer_group_id] || l.buyer_group_id}`),
      h('td', {}, `${l.valid_from || '…'} – ${l.valid_to || '…'}`),
      h('td', {}, formatNumber(l.item_count)),
      h('td', { class: 'actions' }, busyButton({ class: 'danger small', 'aria-label': `${t('action.remove')} ${l.name}` }, t('action.remove'), async () => {
        await api.del(`/price-lists/${l.id}`);
        toast(t('priceList.removed'), 'success');
        await draw(box, businessId);
      })))))));
}

/** "SKU = price" or "SKU;price" per line. */
function parseItems(text) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const [sku, price] = line.split(/\s*[=;\t]\s*/);
    return { sku, price: price || '' };
  });
}

async function create(businessId, done) {
  const [businesses, groups] = await Promise.all([buyers(businessId), api.get(`/businesses/${businessId}/buyer-groups`)]);
  openDialog(t('priceList.add'), (close) => {
    const form = h('form', { novalidate: true });
    const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
    mount(form, summary,
      field(t('field.name'), h('input', { name: 'name', required: true, maxlength: 120 })),
      field(t('priceList.buyer'), h('select', { name: 'buyer', required: true },
        h('optgroup', { label: t('priceList.businesses') }, businesses.map((b) => h('option', { value: `b:${b.id}` }, `${b.name} (${b.city})`))),
        groups.items.length ? h('optgroup', { label: t('buyerGroup.title') }, groups.items.map((g) => h('option', { value: `g:${g.id}` }, g.name))) : null)),
      h('div', { class: 'grid-2' },
        field(t('priceList.from'), h('input', { type: 'date', name: 'valid_from' })),
        field(t('priceList.to'), h('input', { type: 'date', name: 'valid_to' }))),
      field(t('priceList.lines'), h('textarea', { name: 'items', rows: 6, placeholder: 'PAR-500 = 23,90' }), t('priceList.linesHint')),
      h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, t('action.add'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const v = Object.fromEntries(new FormData(form));
      const body = { name: v.name, items: parseItems(v.items) };
      body[v.buyer.startsWith('g:') ? 'buyer_group_id' : 'buyer_business_id'] = v.buyer.slice(2);
      if (v.valid_from) body.valid_from = v.valid_from;
      if (v.valid_to) body.valid_to = v.valid_to;
      try {
        await api.post(`/businesses/${businessId}/price-lists`, body);
        close();
        toast(t('priceList.saved'), 'success');
        await done();
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}
