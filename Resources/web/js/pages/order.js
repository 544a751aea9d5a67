// One order: its parties, lines with the price snapshot and what the warehouses did, tax per rate,
// totals and history, and the actions its state allows to the side I am on.
import { api } from '../api.js';
import { busyButton, h, mount, toast } from '../dom.js';
import { formatDate, formatDateTime, formatNumber, t } from '../i18n.js';
import { money } from '../catalog-util.js';
import { navigate } from '../router.js';
import { session } from '../session.js';
import { myBusinesses, priceSource, stateBadge } from '../trade.js';
import { invoicesPanel, shipmentsPanel } from '../components/fulfilment.js';
import { returnsPanel } from '../components/returns.js';
import { proposalsPanel } from '../components/proposals.js';
import { watchOrders } from '../live.js';

let closeLive = null;

export async function render(main, ctx) {
  // Both sides see the order move as it happens (another person confirms, ships, bills).
  closeLive?.();
  let again = null;
  closeLive = watchOrders(main, (change) => {
    if (change.order_id !== ctx.params.id) return;
    clearTimeout(again);
    again = setTimeout(() => draw(main, ctx).catch(() => {}), 150);
  });
  await draw(main, ctx);
}

async function draw(main, ctx) {
  const [order, mine] = await Promise.all([api.get(`/orders/${ctx.params.id}`), myBusinesses()]);
  const admin = ['owner', 'admin'].includes(session.me.role);
  const isSeller = admin || mine.some((m) => m.business.id === order.seller_business_id);
  const isBuyer = mine.some((m) => m.business.id === order.buyer_business_id);
  const act = (action, label, kind = '') => busyButton({ class: kind }, label, async () => {
    let body;
    if (action === 'cancel') {
      const reason = prompt(t('trade.cancelReason'));
      if (reason === null) return;
      body = reason ? { reason } : undefined;
    }
    await api.post(`/orders/${order.id}/${action}`, body);
    toast(t('trade.updated'), 'success');
    await draw(main, ctx);
  });
  const actions = [];
  if (isSeller && order.state === 'on_hold') actions.push(act('approve', t('orderAction.approve'), 'primary'));
  if (isSeller && order.state === 'placed') actions.push(act('confirm', t('orderAction.confirm'), 'primary'));
  if ((isSeller && ['on_hold', 'placed', 'confirmed'].includes(order.state)) || (isBuyer && ['on_hold', 'placed'].includes(order.state))) {
    actions.push(act('cancel', t('orderAction.cancel'), 'danger'));
  }
  if ((isSeller || isBuyer) && order.state === 'shipped') actions.push(act('deliver', t('orderAction.deliver')));
  if (isSeller && order.state === 'delivered') actions.push(act('complete', t('orderAction.complete')));
  if (isBuyer) {
    actions.push(busyButton({}, t('orderAction.reorder'), async () => {
      await api.post(`/orders/${order.id}/reorder`);
      toast(t('trade.reordered'), 'success');
      navigate('/cart');
    }));
  }
  const details = [
    ['trade.seller', order.seller_name], ['trade.buyer', order.buyer_name], ['trade.placedAt', formatDateTime(order.placed_at)],
    ['trade.paymentTerms', order.payment_terms.kind === 'net' ? t('trade.netTerms', { days: order.payment_terms.days }) : t('trade.prepaid')],
    ['trade.deliveryAddress', order.delivery_address], ['trade.requestedDate', order.requested_date && formatDate(order.requested_date)],
    ['trade.notes', order.notes], ['trade.cancelReason', order.cancel_reason],
    ['promo.code', order.promo_code && t('promo.applied', { code: order.promo_code, amount: money(order.discount) })],
  ].filter(([, v]) => v);
  const refresh = () => draw(main, ctx);
  const sides = { isSeller, isBuyer };
  const [proposals, shipments, invoices, returns] = await Promise.all([proposalsPanel(order, sides, refresh),
    shipmentsPanel(order, sides, refresh), invoicesPanel(order, sides, refresh), returnsPanel(order, sides, refresh)]);
  mount(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: `/orders?side=${isSeller ? 'seller' : 'buyer'}` }, t('nav.orders'))),
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, order.number, stateBadge(order.state)), h('div', { class: 'actions' }, actions)),
    h('dl', { class: 'details' }, details.map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)])),
    h('section', { class: 'panel' }, h('h2', {}, t('trade.lines')), h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['#', t('stock.product'), t('stock.quantity'), t('product.unitPrice'), t('trade.taxRate'), t('trade.net'),
        t('trade.gross'), t('stock.reserved'), t('trade.backordered'), t('trade.shipped')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, order.lines.map((l) => h('tr', {},
        h('td', {}, String(l.line_no)),
        h('td', { class: 'text' }, l.name, h('div', { class: 'small muted' }, l.sku)),
        h('td', {}, formatNumber(l.quantity)),
        h('td', { class: 'nowrap' }, money(l.unit_price), h('div', { class: 'small muted' }, priceSource(l)),
          l.discount ? h('div', { class: 'small discount' }, t('promo.lineDiscount', { amount: money(l.discount) })) : null),
        h('td', { class: 'nowrap' }, `${l.tax_rate} %`), h('td', { class: 'nowrap' }, money(l.net)), h('td', { class: 'nowrap' }, money(l.gross)),
        h('td', {}, formatNumber(l.reserved)), h('td', {}, formatNumber(l.backordered)), h('td', {}, formatNumber(l.shipped)))))))),
    h('section', { class: 'panel totals' },
      h('p', { class: 'small muted' }, order.prices_include_tax ? t('trade.pricesIncludeTax') : t('trade.pricesExcludeTax')),
      h('dl', { class: 'details' },
        order.taxes.map((x) => [h('dt', {}, t('trade.taxAt', { rate: x.rate, net: money(x.net) })), h('dd', {}, money(x.tax))]),
        h('dt', {}, t('trade.net')), h('dd', {}, money(order.net)),
        h('dt', {}, t('trade.tax')), h('dd', {}, money(order.tax)),
        h('dt', {}, h('strong', {}, t('trade.gross'))), h('dd', {}, h('strong', {}, money(order.gross))))),
    proposals, shipments, invoices, returns,
    h('section', { class: 'panel' }, h('h2', {}, t('trade.history')), h('ol', { class: 'history' }, order.history.map((step) => h('li', {},
      h('span', { class: 'nowrap' }, formatDateTime(step.at)), ' · ', t(`orderState.${step.to}`), ' · ', step.actor_label || step.actor,
      step.note ? h('span', { class: 'muted' }, ` — ${step.note}`) : null)))));
}
