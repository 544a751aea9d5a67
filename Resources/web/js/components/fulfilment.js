// An order's shipments, invoices and payments: what the seller ships and bills, what the buyer
// downloads and confirms.
import { api, idempotencyKey } from '../api.js';
import { busyButton, field, h, mount, openDialog, showErrors, toast } from '../dom.js';
import { formatDate, formatDateTime, formatNumber, t } from '../i18n.js';
import { money } from '../catalog-util.js';

/** Shipments: the list (with delivery confirmation) and, for the seller, the form to ship lines. */
export async function shipmentsPanel(order, { isSeller, isBuyer }, refresh) {
  const { items } = await api.get(`/orders/${order.id}/shipments`);
  const canShip = isSeller && ['confirmed', 'partially_shipped'].includes(order.state);
  return h('section', { class: 'panel' },
    h('div', { class: 'page-head' }, h('h2', {}, t('ship.title')),
      canShip ? h('button', { type: 'button', class: 'primary', onclick: () => ship(order, refresh) }, t('ship.new')) : null),
    items.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['#', t('ship.warehouse'), t('ship.lines'), t('ship.carrier'), t('ship.shippedAt'), t('ship.deliveredAt')]
        .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((s) => h('tr', {},
        h('td', {}, String(s.number)),
        h('td', { class: 'text' }, s.warehouse_name),
        h('td', { class: 'text' }, s.lines.map((l) => `${l.sku} × ${formatNumber(l.quantity)}`).join(', ')),
        h('td', { class: 'text' }, [s.carrier, s.tracking_number].filter(Boolean).join(' · ') || '—'),
        h('td', { class: 'nowrap' }, formatDateTime(s.shipped_at)),
        h('td', { class: 'nowrap' }, s.delivered_at ? formatDateTime(s.delivered_at)
          : (isSeller || isBuyer) ? busyButton({ class: 'small' }, t('ship.markDelivered'), async () => {
            await api.post(`/shipments/${s.id}/deliver`);
            toast(t('trade.updated'), 'success');
            await refresh();
          }) : '—'))))))
      : h('p', { class: 'empty' }, t('ship.none')));
}

/** The seller's shipment form: per line, how many to ship now (what is reserved, by default). */
function ship(order, refresh) {
  const key = idempotencyKey();
  openDialog(t('ship.new'), (close) => {
    const form = h('form', { novalidate: true });
    const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
    const left = order.lines.filter((l) => l.quantity > l.shipped);
    const rows = left.map((l, i) => h('tr', {},
      h('td', { class: 'text' }, l.name, h('div', { class: 'small muted' }, l.sku)),
      h('td', {}, formatNumber(l.quantity - l.shipped)),
      h('td', {}, h('input', { name: `lines[${i}].quantity`, type: 'number', min: 0, max: l.quantity - l.shipped, step: 1,
        value: String(l.reserved), 'aria-label': `${t('ship.now')} ${l.sku}`, dataset: { line: String(l.line_no) } }))));
    const warehouse = h('select', { name: 'warehouse_id' }, h('option', { value: '' }, t('ship.anyWarehouse')));
    api.get(`/businesses/${order.seller_business_id}/warehouses`).then(({ items }) => {
      for (const w of items.filter((x) => x.active)) warehouse.append(h('option', { value: w.id }, w.name));
    }).catch(() => {});
    mount(form, summary,
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, [t('stock.product'), t('ship.left'), t('ship.now')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows))),
      field(t('ship.warehouse'), warehouse, t('ship.warehouseHint')),
      field(t('ship.carrier'), h('input', { name: 'carrier', maxlength: 120 })),
      field(t('ship.tracking'), h('input', { name: 'tracking_number', maxlength: 120 })),
      h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, t('ship.submit'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const lines = [...form.querySelectorAll('input[data-line]')]
        .map((input) => ({ line_no: Number(input.dataset.line), quantity: Number(input.value || 0) })).filter((l) => l.quantity > 0);
      const data = new FormData(form);
      const body = { lines };
      for (const name of ['warehouse_id', 'carrier', 'tracking_number']) if (data.get(name)) body[name] = data.get(name);
      if (!lines.length) { showErrors(form, { message: t('ship.nothing'), fields: [] }, summary); return; }
      try {
        await api.create(`/orders/${order.id}/shipments`, body, key);
        close();
        toast(t('ship.done'), 'success');
        await refresh();
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}

/** Invoices: each with its PDF, balance and payments; the seller issues them and records payments. */
export async function invoicesPanel(order, { isSeller }, refresh) {
  const { items } = await api.get(`/orders/${order.id}/invoices`);
  const canInvoice = isSeller && ['confirmed', 'partially_shipped', 'shipped', 'delivered', 'completed'].includes(order.state);
  const issue = (basis) => busyButton({}, t(`invoice.issue.${basis}`), async () => {
    await api.create(`/orders/${order.id}/invoices`, { basis }, idempotencyKey());
    toast(t('invoice.issued'), 'success');
    await refresh();
  });
  return h('section', { class: 'panel' },
    h('div', { class: 'page-head' }, h('h2', {}, t('invoice.title')),
      canInvoice ? h('div', { class: 'actions' }, issue('shipped'), issue('order')) : null),
    items.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, [t('trade.number'), t('invoice.issuedAt'), t('invoice.due'), t('trade.gross'), t('invoice.balance'),
        t('field.status'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((inv) => h('tr', {},
        h('td', { class: 'nowrap' }, inv.number),
        h('td', { class: 'nowrap' }, formatDateTime(inv.issued_at)),
        h('td', { class: 'nowrap' }, formatDate(inv.due_date)),
        h('td', { class: 'nowrap' }, money(inv.gross)),
        h('td', { class: 'nowrap' }, money(inv.balance)),
        h('td', {}, invoiceBadge(inv)),
        h('td', { class: 'actions' },
          h('a', { class: 'button small', href: `/api/v1/invoices/${inv.id}/pdf`, download: `${inv.number}.pdf` }, t('invoice.pdf')),
          isSeller ? h('button', { type: 'button', class: 'small', onclick: () => pay(inv, refresh) }, t('payment.record')) : null))))))
      : h('p', { class: 'empty' }, t('invoice.none')));
}

export function invoiceBadge(invoice) {
  const overdue = invoice.overdue && invoice.status !== 'paid';
  return h('span', { class: `badge invoice-${overdue ? 'overdue' : invoice.status}` },
    overdue ? t('invoice.overdue') : t(`invoiceStatus.${invoice.status}`));
}

/** The seller's payment form: money received (up to the balance) or a refund (up to what was paid). */
function pay(invoice, refresh) {
  const key = idempotencyKey();
  openDialog(`${t('payment.record')} · ${invoice.number}`, (close) => {
    const form = h('form', { novalidate: true });
    const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
    const direction = h('select', { name: 'direction' }, h('option', { value: 'in' }, t('payment.in')), h('option', { value: 'out' }, t('payment.out')));
    const method = h('select', { name: 'method' }, ['bank_transfer', 'cash', 'card', 'other'].map((m) => h('option', { value: m }, t(`payment.method_${m}`))));
    mount(form, summary,
      h('p', { class: 'muted' }, t('payment.balance', { balance: money(invoice.balance), paid: money(invoice.paid) })),
      field(t('payment.direction'), direction),
      field(t('payment.amount', { currency: invoice.currency }), h('input', { name: 'amount', inputmode: 'decimal', required: true,
        value: invoice.balance.amount })),
      field(t('payment.method'), method),
      field(t('payment.receivedOn'), h('input', { name: 'received_on', type: 'date' })),
      field(t('payment.reference'), h('input', { name: 'reference', maxlength: 200 })),
      h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, t('payment.save'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const body = { amount: data.get('amount'), method: data.get('method'), direction: data.get('direction') };
      if (data.get('received_on')) body.received_on = data.get('received_on');
      if (data.get('reference')) body.reference = data.get('reference');
      try {
        await api.create(`/invoices/${invoice.id}/payments`, body, key);
        close();
        toast(t('payment.saved'), 'success');
        await refresh();
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}
