// Negotiating a placed order: the seller proposes a new version (quantities, prices, lines, date),
// the buyer sees it beside the order and accepts or declines it.
import { api, idempotencyKey } from '../api.js';
import { busyButton, field, h, mount, openDialog, showErrors, toast } from '../dom.js';
import { formatDate, formatDateTime, formatNumber, t } from '../i18n.js';
import { money } from '../catalog-util.js';

const NEGOTIABLE = ['on_hold', 'placed'];

export async function proposalsPanel(order, { isSeller, isBuyer }, refresh) {
  const { items } = await api.get(`/orders/${order.id}/proposals`);
  const open = items.find((p) => p.state === 'open');
  const canPropose = isSeller && NEGOTIABLE.includes(order.state);
  if (!items.length && !canPropose) return null;
  const decide = (p, action, label, kind) => busyButton({ class: kind }, label, async () => {
    await api.post(`/proposals/${p.id}/${action}`);
    toast(t('trade.updated'), 'success');
    await refresh();
  });
  return h('section', { class: 'panel' },
    h('div', { class: 'page-head' }, h('h2', {}, t('proposal.title')),
      canPropose ? h('button', { type: 'button', onclick: () => propose(order, refresh) }, t('proposal.new')) : null),
    open ? h('div', { class: 'proposal' },
      h('p', {}, h('strong', {}, t('proposal.version', { n: open.version })), ' · ', formatDateTime(open.proposed_at),
        open.requested_date ? ` · ${t('trade.requestedDate')}: ${formatDate(open.requested_date)}` : '', open.note ? h('span', { class: 'muted' }, ` — ${open.note}`) : null),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, [t('stock.product'), t('proposal.was'), t('proposal.now'), t('product.unitPrice'), t('trade.gross')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, open.lines.map((l) => {
          const was = order.lines.find((x) => x.product_id === l.product_id);
          return h('tr', {},
            h('td', { class: 'text' }, l.name, h('div', { class: 'small muted' }, l.sku)),
            h('td', {}, was ? `${formatNumber(was.quantity)} × ${money(was.unit_price)}` : '—'),
            h('td', {}, formatNumber(l.quantity)), h('td', { class: 'nowrap' }, money(l.unit_price)), h('td', { class: 'nowrap' }, money(l.gross)));
        })))),
      h('p', {}, t('proposal.total', { was: money(order.gross), now: money(open.gross) })),
      isBuyer ? h('div', { class: 'actions' }, decide(open, 'accept', t('proposal.accept'), 'primary'), decide(open, 'decline', t('proposal.decline'), '')) : null)
      : null,
    items.filter((p) => p !== open).length ? h('ul', { class: 'small muted' }, items.filter((p) => p !== open).map((p) =>
      h('li', {}, `${t('proposal.version', { n: p.version })}: ${t(`proposalState.${p.state}`)} · ${money(p.gross)}`))) : null);
}

/** The seller's new version: every line's quantity and price, a line added by SKU, the date, a note. */
function propose(order, refresh) {
  const key = idempotencyKey();
  openDialog(t('proposal.new'), (close) => {
    const form = h('form', { novalidate: true });
    const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
    const rows = order.lines.map((l, i) => h('tr', { dataset: { product: l.product_id } },
      h('td', { class: 'text' }, l.name, h('div', { class: 'small muted' }, l.sku)),
      h('td', {}, h('input', { name: `lines[${i}].quantity`, type: 'number', min: 0, step: 1, value: String(l.quantity), 'aria-label': `${t('stock.quantity')} ${l.sku}` })),
      h('td', {}, h('input', { name: `lines[${i}].unit_price`, inputmode: 'decimal', value: l.unit_price.amount, 'aria-label': `${t('product.unitPrice')} ${l.sku}` }))));
    mount(form, summary, h('p', { class: 'muted small' }, t('proposal.help')),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, [t('stock.product'), t('stock.quantity'), t('product.unitPrice')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows))),
      field(t('proposal.addSku'), h('input', { name: 'add_sku', maxlength: 64 })),
      field(t('proposal.addQuantity'), h('input', { name: 'add_quantity', type: 'number', min: 1, step: 1 })),
      field(t('trade.requestedDate'), h('input', { name: 'requested_date', type: 'date', value: order.requested_date || '' })),
      field(t('proposal.note'), h('textarea', { name: 'note', maxlength: 1000, rows: 2 })),
      h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, t('proposal.send'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const lines = order.lines.map((l, i) => ({ product_id: l.product_id, quantity: Number(data.get(`lines[${i}].quantity`) || 0),
        unit_price: data.get(`lines[${i}].unit_price`) })).filter((l) => l.quantity > 0);
      if (data.get('add_sku')) lines.push({ sku: data.get('add_sku').trim(), quantity: Number(data.get('add_quantity') || 1) });
      const body = { lines };
      if (data.get('requested_date')) body.requested_date = data.get('requested_date');
      if (data.get('note')) body.note = data.get('note');
      try {
        await api.create(`/orders/${order.id}/proposals`, body, key);
        close();
        toast(t('proposal.sent'), 'success');
        await refresh();
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}
