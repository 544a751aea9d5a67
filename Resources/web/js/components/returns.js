// An order's returns: the buyer asks to send shipped goods back; the seller accepts or refuses
// and, when they arrive, receives them (the damaged written off) and a credit note is issued.
import { api, idempotencyKey } from '../api.js';
import { busyButton, field, h, mount, openDialog, showErrors, toast } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n.js';
import { money } from '../catalog-util.js';

const RETURNABLE = ['partially_shipped', 'shipped', 'delivered', 'completed'];

export async function returnsPanel(order, { isSeller, isBuyer }, refresh) {
  const [{ items }, { items: notes }] = await Promise.all([api.get(`/orders/${order.id}/returns`), api.get(`/orders/${order.id}/credit-notes`)]);
  const byId = Object.fromEntries(notes.map((n) => [n.id, n]));
  const decide = (r, action, label) => busyButton({ class: 'small' }, label, async () => {
    let body;
    if (action === 'refuse') {
      const reason = prompt(t('return.refuseReason'));
      if (reason === null) return;
      body = reason ? { reason } : undefined;
    }
    await api.post(`/returns/${r.id}/${action}`, body);
    toast(t('trade.updated'), 'success');
    await refresh();
  });
  return h('section', { class: 'panel' },
    h('div', { class: 'page-head' }, h('h2', {}, t('return.title')),
      isBuyer && RETURNABLE.includes(order.state) ? h('button', { type: 'button', onclick: () => request(order, refresh) }, t('return.new')) : null),
    items.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['#', t('ship.lines'), t('return.reason'), t('field.status'), t('return.creditNote'), '']
        .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((r) => {
        const note = r.credit_note_id && byId[r.credit_note_id];
        return h('tr', {},
          h('td', {}, String(r.number)),
          h('td', { class: 'text' }, r.lines.map((l) => `${l.sku} × ${formatNumber(l.quantity)}${l.damaged ? ` (${t('return.damagedN', { n: l.damaged })})` : ''}`).join(', ')),
          h('td', { class: 'text' }, r.reason, r.decision_note ? h('div', { class: 'small muted' }, r.decision_note) : null),
          h('td', {}, h('span', { class: `badge return-${r.state}` }, t(`returnState.${r.state}`)), h('div', { class: 'small muted' }, formatDateTime(r.requested_at))),
          h('td', { class: 'nowrap' }, note ? [money(note.gross), ' ',
            h('a', { class: 'button small', href: `/api/v1/credit-notes/${note.id}/pdf`, download: `${note.number}.pdf` }, note.number)] : '—'),
          h('td', { class: 'actions' }, isSeller && r.state === 'requested' ? [decide(r, 'accept', t('return.accept')), decide(r, 'refuse', t('return.refuse'))]
            : isSeller && r.state === 'accepted' ? h('button', { type: 'button', class: 'small primary', onclick: () => receive(order, r, refresh) }, t('return.receive'))
              : null));
      }))))
      : h('p', { class: 'empty' }, t('return.none')));
}

/** The buyer's request: how many of each shipped line go back, and why. */
function request(order, refresh) {
  const key = idempotencyKey();
  openDialog(t('return.new'), (close) => {
    const form = h('form', { novalidate: true });
    const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
    const shipped = order.lines.filter((l) => l.shipped > 0);
    mount(form, summary,
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, [t('stock.product'), t('trade.shipped'), t('return.quantity')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, shipped.map((l, i) => h('tr', {},
          h('td', { class: 'text' }, l.name, h('div', { class: 'small muted' }, l.sku)),
          h('td', {}, formatNumber(l.shipped)),
          h('td', {}, h('input', { name: `lines[${i}].quantity`, type: 'number', min: 0, max: l.shipped, step: 1, value: '0',
            'aria-label': `${t('return.quantity')} ${l.sku}`, dataset: { line: String(l.line_no) } }))))))),
      field(t('return.reason'), h('textarea', { name: 'reason', required: true, maxlength: 500, rows: 2 })),
      h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, t('return.send'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const lines = [...form.querySelectorAll('input[data-line]')]
        .map((input) => ({ line_no: Number(input.dataset.line), quantity: Number(input.value || 0) })).filter((l) => l.quantity > 0);
      if (!lines.length) { showErrors(form, { message: t('ship.nothing'), fields: [] }, summary); return; }
      try {
        await api.create(`/orders/${order.id}/returns`, { lines, reason: new FormData(form).get('reason') }, key);
        close();
        toast(t('return.sent'), 'success');
        await refresh();
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}

/** The seller's receipt: into which warehouse, and how many arrived damaged. */
function receive(order, r, refresh) {
  openDialog(`${t('return.receive')} · ${r.number}`, (close) => {
    const form = h('form', { novalidate: true });
    const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
    const warehouse = h('select', { name: 'warehouse_id' }, h('option', { value: '' }, t('return.sameWarehouse')));
    api.get(`/businesses/${order.seller_business_id}/warehouses`).then(({ items }) => {
      for (const w of items.filter((x) => x.active)) warehouse.append(h('option', { value: w.id }, w.name));
    }).catch(() => {});
    mount(form, summary, h('p', { class: 'muted small' }, t('return.receiveHelp')),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, [t('stock.product'), t('return.quantity'), t('return.damaged')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, r.lines.map((l, i) => h('tr', {},
          h('td', { class: 'text' }, l.name, h('div', { class: 'small muted' }, l.sku)),
          h('td', {}, formatNumber(l.quantity)),
          h('td', {}, h('input', { name: `lines[${i}].damaged`, type: 'number', min: 0, max: l.quantity, step: 1, value: '0',
            'aria-label': `${t('return.damaged')} ${l.sku}`, dataset: { line: String(l.line_no) } }))))))),
      field(t('ship.warehouse'), warehouse),
      h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, t('return.receive'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const lines = [...form.querySelectorAll('input[data-line]')].map((input) => ({ line_no: Number(input.dataset.line), damaged: Number(input.value || 0) }));
      const body = { lines };
      const chosen = new FormData(form).get('warehouse_id');
      if (chosen) body.warehouse_id = chosen;
      try {
        await api.post(`/returns/${r.id}/receive`, body);
        close();
        toast(t('return.received'), 'success');
        await refresh();
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}
