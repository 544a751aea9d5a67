// Orders of the business I act for: the ones it placed (buyer) or received (seller — the seller's
// order inbox), newest first, filtered by state.
import { api, query } from '../api.js';
import { h, mount } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { money } from '../catalog-util.js';
import { pager } from '../pager.js';
import { businessPicker, chosenBusiness, myBusinesses, stateBadge } from '../trade.js';
import { watchOrders } from '../live.js';

let closeLive = null;

const STATES = ['on_hold', 'placed', 'confirmed', 'partially_shipped', 'shipped', 'delivered', 'completed', 'cancelled'];

export async function render(main, ctx) {
  const mine = await myBusinesses();
  if (!mine.length) {
    mount(main, h('h1', { tabindex: -1 }, t('nav.orders')), h('p', { class: 'empty' }, t('trade.noBusiness')));
    return;
  }
  const business = chosenBusiness(mine);
  const side = h('select', { 'aria-label': t('trade.side') },
    h('option', { value: 'seller' }, t('trade.received')), h('option', { value: 'buyer' }, t('trade.placedByUs')));
  side.value = ctx.query.get('side') === 'buyer' ? 'buyer' : 'seller';
  const state = h('select', { 'aria-label': t('field.status') }, h('option', { value: '' }, t('trade.allStates')),
    STATES.map((s) => h('option', { value: s }, t(`orderState.${s}`))));
  const table = h('div', { class: 'table-wrap' });
  const more = h('button', { type: 'button', hidden: true }, t('action.loadMore'));
  const { load } = pager((cursor) => api.get(`/businesses/${business.id}/orders${query({ side: side.value, state: state.value, cursor })}`), (rows) => {
    if (!rows.length) return mount(table, h('p', { class: 'empty' }, t('trade.noOrders')));
    mount(table, h('table', {},
      h('thead', {}, h('tr', {}, [t('trade.number'), side.value === 'seller' ? t('trade.buyer') : t('trade.seller'), t('field.status'),
        t('trade.gross'), t('trade.placedAt')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((o) => h('tr', {},
        h('td', { class: 'nowrap' }, h('a', { href: `/orders/${o.id}` }, o.number)),
        h('td', { class: 'text' }, side.value === 'seller' ? o.buyer_name : o.seller_name),
        h('td', {}, stateBadge(o.state)),
        h('td', { class: 'nowrap' }, money(o.gross)),
        h('td', { class: 'nowrap' }, formatDateTime(o.placed_at)))))));
  }, more);
  side.addEventListener('change', () => load(true));
  // New orders and state changes show up without a reload (the seller's inbox fills by itself).
  closeLive?.();
  let again = null;
  closeLive = watchOrders(main, () => { clearTimeout(again); again = setTimeout(() => load(true).catch(() => {}), 300); });
  state.addEventListener('change', () => load(true));
  mount(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('nav.orders')),
      h('label', { class: 'inline' }, t('trade.actingFor'), businessPicker(mine, business, () => render(main, ctx)))),
    h('div', { class: 'filters' }, side, state),
    table, more);
  await load(true);
}
