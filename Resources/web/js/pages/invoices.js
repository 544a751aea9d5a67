// Invoices of the business I act for: issued by it (seller) or to it (buyer), newest first, each
// with its balance, status and PDF.
import { api, query } from '../api.js';
import { h, mount } from '../dom.js';
import { formatDate, formatDateTime, t } from '../i18n.js';
import { money } from '../catalog-util.js';
import { pager } from '../pager.js';
import { businessPicker, chosenBusiness, myBusinesses } from '../trade.js';
import { invoiceBadge } from '../components/fulfilment.js';

export async function render(main, ctx) {
  const mine = await myBusinesses();
  if (!mine.length) {
    mount(main, h('h1', { tabindex: -1 }, t('nav.invoices')), h('p', { class: 'empty' }, t('trade.noBusiness')));
    return;
  }
  const business = chosenBusiness(mine);
  const side = h('select', { 'aria-label': t('trade.side') },
    h('option', { value: 'seller' }, t('invoice.issuedByUs')), h('option', { value: 'buyer' }, t('invoice.issuedToUs')));
  side.value = ctx.query.get('side') === 'buyer' ? 'buyer' : 'seller';
  const table = h('div', { class: 'table-wrap' });
  const more = h('button', { type: 'button', hidden: true }, t('action.loadMore'));
  const { load } = pager((cursor) => api.get(`/businesses/${business.id}/invoices${query({ side: side.value, cursor })}`), (rows) => {
    if (!rows.length) return mount(table, h('p', { class: 'empty' }, t('invoice.none')));
    mount(table, h('table', {},
      h('thead', {}, h('tr', {}, [t('trade.number'), t('nav.orders'), t('invoice.issuedAt'), t('invoice.due'), t('trade.gross'), t('invoice.balance'),
        t('field.status'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((inv) => h('tr', {},
        h('td', { class: 'nowrap' }, inv.number),
        h('td', { class: 'nowrap' }, h('a', { href: `/orders/${inv.order_id}` }, inv.order_number)),
        h('td', { class: 'nowrap' }, formatDateTime(inv.issued_at)),
        h('td', { class: 'nowrap' }, formatDate(inv.due_date)),
        h('td', { class: 'nowrap' }, money(inv.gross)),
        h('td', { class: 'nowrap' }, money(inv.balance)),
        h('td', {}, invoiceBadge(inv)),
        h('td', {}, h('a', { class: 'button small', href: `/api/v1/invoices/${inv.id}/pdf`, download: `${inv.number}.pdf` }, t('invoice.pdf'))))))));
  }, more);
  side.addEventListener('change', () => load(true));
  mount(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('nav.invoices')),
      h('label', { class: 'inline' }, t('trade.actingFor'), businessPicker(mine, business, () => render(main, ctx)))),
    h('div', { class: 'filters' }, side), table, more);
  await load(true);
}
