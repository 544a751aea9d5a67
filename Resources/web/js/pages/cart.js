// My carts for the business I buy for, one per seller: lines priced for me now (and which price
// won), quick order, and checkout. Placing sends the total I saw: if prices changed meanwhile the
// server says so and the cart shows the new prices before anything is ordered.
import { api, idempotencyKey } from '../api.js';
import { busyButton, field, h, mount, showErrors, toast } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { money } from '../catalog-util.js';
import { navigate } from '../router.js';
import { businessPicker, chosenBusiness, myBusinesses, priceSource } from '../trade.js';

export async function render(main, ctx) {
  const mine = await myBusinesses();
  if (!mine.length) {
    mount(main, h('h1', { tabindex: -1 }, t('nav.cart')), h('p', { class: 'empty' }, t('trade.noBusiness')));
    return;
  }
  const buyer = chosenBusiness(mine);
  const box = h('div');
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const quick = h('textarea', { name: 'text', rows: 4, placeholder: 'PAR-500 20\nIBU-200 5', 'aria-label': t('trade.quickOrder') });
  // A CSV from a spreadsheet (UTF-8 or Windows-1251, any of ; , tab) fills the box; the server reads it line by line.
  const file = h('input', { type: 'file', accept: '.csv,.txt,text/csv,text/plain', 'aria-label': t('trade.quickFile') });
  file.addEventListener('change', async () => {
    const bytes = new Uint8Array(await file.files[0].arrayBuffer());
    let text;
    try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { text = new TextDecoder('windows-1251').decode(bytes); }
    quick.value = text.replace(/^\uFEFF/, '');
    file.value = '';
  });
  const draw = async (notice) => {
    const { items } = await api.get(`/businesses/${buyer.id}/carts`);
    mount(status, notice ? h('p', { class: 'notice' }, notice) : null);
    mount(box, items.length ? items.map((cart) => cartPanel(buyer, cart, draw)) : h('p', { class: 'empty' }, t('trade.cartEmpty')));
  };
  mount(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('nav.cart')),
      h('label', { class: 'inline' }, t('trade.actingFor'), businessPicker(mine, buyer, () => render(main, ctx)))),
    status,
    h('section', { class: 'panel' }, h('h2', {}, t('trade.quickOrder')), h('p', { class: 'muted small' }, t('trade.quickHelp')), quick,
      h('label', { class: 'small' }, t('trade.quickFile'), ' ', file),
      h('div', { class: 'actions' }, busyButton({ class: 'secondary' }, t('trade.addLines'), async () => {
        const result = await api.post(`/businesses/${buyer.id}/cart/quick`, { text: quick.value });
        quick.value = result.issues.map((i) => i.text).join('\n');
        await draw(result.issues.length
          ? t('trade.quickIssues', { added: result.added, lines: result.issues.map((i) => `${i.line}: ${i.message}`).join('; ') })
          : t('trade.quickAdded', { added: result.added }));
      }))),
    box);
  await draw();
}

function cartPanel(buyer, cart, redraw) {
  const key = idempotencyKey();
  const form = h('form', { novalidate: true, class: 'checkout' });
  const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
  const blocked = cart.lines.some((l) => l.problem);
  const rows = cart.lines.map((line) => {
    const quantity = h('input', { type: 'number', min: 0, step: 1, value: line.quantity, class: 'qty', 'aria-label': `${t('stock.quantity')} ${line.sku}` });
    quantity.addEventListener('change', async () => {
      await api.put(`/businesses/${buyer.id}/cart/lines/${line.product_id}`, { quantity: Number(quantity.value || 0) });
      await redraw();
    });
    return h('tr', { class: line.problem ? 'warning' : '' },
      h('td', { class: 'text' }, h('a', { href: `/products/${line.product_id}` }, line.name), h('div', { class: 'small muted' }, line.sku)),
      h('td', {}, quantity),
      h('td', {}, money(line.unit_price), h('div', { class: 'small muted' }, priceSource(line))),
      h('td', {}, money(line.total)),
      h('td', { class: 'small' }, line.problem ? h('span', { class: 'error-text' }, line.problem) : t('trade.available', { n: formatNumber(line.available) })));
  });
  mount(form, summary,
    field(t('trade.deliveryAddress'), h('textarea', { name: 'delivery_address', rows: 2, maxlength: 500 })),
    field(t('trade.requestedDate'), h('input', { name: 'requested_date', type: 'date' })),
    field(t('promo.code'), h('input', { name: 'promo_code', maxlength: 32, autocomplete: 'off' }), t('promo.codeHint')),
    field(t('trade.notes'), h('textarea', { name: 'notes', rows: 2, maxlength: 2000 })),
    h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit', disabled: blocked || !cart.total }, t('trade.place'))));
  let sending = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    sending = true;
    const data = new FormData(form);
    const body = { buyer_business_id: buyer.id, seller_business_id: cart.seller_business_id, expected_total: cart.total };
    for (const name of ['delivery_address', 'requested_date', 'notes', 'promo_code']) if (data.get(name)) body[name] = data.get(name);
    try {
      const order = await api.create('/orders', body, key);
      toast(t('trade.placed', { number: order.number }), 'success');
      navigate(`/orders/${order.id}`);
    } catch (error) {
      if (error.code === 'price_changed') { await redraw(t('trade.priceChanged', { total: error.body?.total || '' })); return; }
      showErrors(form, error, summary);
    } finally { sending = false; }
  });
  return h('section', { class: 'panel' },
    h('div', { class: 'page-head' }, h('h2', {}, cart.seller_name), h('p', { class: 'price' }, money(cart.total)),
      busyButton({ class: 'small' }, t('offer.askQuote'), async () => {
        const n = await api.create(`/businesses/${buyer.id}/quote-requests`, { seller_business_id: cart.seller_business_id }, idempotencyKey());
        toast(t('offer.quoteAsked'), 'success');
        navigate(`/messages/${n.conversation_id}`);
      })),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, [t('stock.product'), t('stock.quantity'), t('product.unitPrice'), t('trade.lineTotal'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows))),
    blocked ? h('p', { class: 'notice error' }, t('trade.fixLines')) : null,
    form);
}
