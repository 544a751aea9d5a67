import { attributeLabel, attributeValue } from '../attributes.js';
import { api, idempotencyKey, query } from '../api.js';
import { navigate } from '../router.js';
import { busyButton, h, mount, openDialog, toast } from '../dom.js';
import { formatDate, formatDateTime, formatNumber, t } from '../i18n.js';
import { session } from '../session.js';
import { money } from '../catalog-util.js';
import { productForm } from '../components/product-form.js';
import { picture } from '../media.js';
import { chosenBusiness, myBusinesses } from '../trade.js';

// A product: prices and tiers, what I would pay for a quantity, the price history chart, and editing.
export async function render(main, ctx) {
  const id = ctx.params.id;
  const [product, history, categories] = await Promise.all([
    api.get(`/products/${id}`), api.get(`/products/${id}/price-history?limit=200`), api.get('/categories')]);
  const business = await api.get(`/businesses/${product.business_id}`);
  const members = await api.get(`/businesses/${product.business_id}/members`);
  const canEdit = ['owner', 'admin'].includes(session.me.role) || members.items.some((m) => m.user_id === session.me.id);
  const category = categories.items.find((c) => c.id === product.category_id);
  // The business I buy for (not the seller itself).
  const buyer = chosenBusiness((await myBusinesses()).filter((m) => m.business.id !== product.business_id));

  const quantity = h('input', { type: 'number', min: product.min_order_quantity, step: product.order_multiple,
    value: product.min_order_quantity, 'aria-label': t('product.quantity') });
  const quote = h('p', { class: 'quote', 'aria-live': 'polite' });
  async function price() {
    try {
      const p = await api.get(`/products/${id}/price${query({ quantity: quantity.value })}`);
      mount(quote, t('product.quote', { unit: money(p.unit_price), total: money(p.total) }),
        p.price_list_id ? h('span', { class: 'badge' }, t('priceList.yourPrice')) : null);
      quote.classList.remove('error-text');
    } catch (error) {
      mount(quote, error.fields?.[0]?.message || error.message);
      quote.classList.add('error-text');
    }
  }
  quantity.addEventListener('input', price);

  const edit = () => openDialog(t('product.edit'), (close) => {
    const box = h('div');
    productForm(product, product.business_id, async () => { toast(t('product.saved'), 'success'); close(); await render(main, ctx); }, () => close())
      .then((form) => mount(box, form));
    return box;
  });

  mount(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/catalog' }, t('nav.catalog')),
      category ? [' / ', h('a', { href: `/catalog?category_id=${category.id}` }, category.path.join(' / '))] : null),
    h('div', { class: 'page-head' },
      h('h1', { tabindex: -1 }, product.name),
      canEdit ? h('button', { type: 'button', onclick: edit }, t('action.edit')) : null),
    h('p', { class: 'muted' }, [product.brand, product.manufacturer, `${t('product.sku')} ${product.sku}`].filter(Boolean).join(' · '), ' · ',
      h('a', { href: `/businesses/${business.id}` }, business.name), ` (${business.city})`),
    product.status !== 'published' ? h('p', { class: `badge status-${product.status}` }, t(`productStatus.${product.status}`),
      product.rejection_reason ? `: ${product.rejection_reason}` : '') : null,
    h('div', { class: 'grid-2' },
      h('section', { class: 'panel' },
        h('h2', {}, t('product.prices')),
        h('p', { class: 'price big' }, money(product.price), h('span', { class: 'muted small' }, ` / ${product.unit}`)),
        product.tiers.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('product.fromQuantity')), h('th', { scope: 'col' }, t('product.unitPrice')))),
          h('tbody', {}, product.tiers.map((x) => h('tr', {}, h('td', {}, `≥ ${x.min_quantity}`), h('td', {}, money(x.price)))))) : null,
        h('p', { class: 'small muted' }, t('product.orderRules', { moq: product.min_order_quantity, multiple: product.order_multiple, pack: product.pack_size })),
        h('div', { class: 'inline-form' }, h('label', { class: 'small' }, t('product.quantity'), quantity),
          buyer && product.status === 'published' ? busyButton({ class: 'primary' }, t('trade.addToCart'), async () => {
            await api.put(`/businesses/${buyer.id}/cart/lines/${product.id}`, { quantity: Number(quantity.value) });
            toast(t('trade.addedToCart', { business: buyer.name }), 'success');
          }) : null,
          buyer ? busyButton({}, t('talk.messageSeller'), async () => {
            const c = await api.create('/conversations', { buyer_business_id: buyer.id, seller_business_id: product.business_id, product_id: product.id },
              idempotencyKey());
            navigate(`/messages/${c.id}`);
          }) : null),
        quote),
      h('section', { class: 'panel' },
        h('h2', {}, t('product.details')),
        picture(`/products/${id}/image`, product.name, canEdit),
        h('dl', { class: 'details' },
          [[t('product.availability'), `${t(`availability.${product.availability}`)} (${product.stock_quantity})`],
            ...Object.entries(product.attributes).map(([k, v]) => [attributeLabel(k), attributeValue(k, v)])]
            .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
        product.description ? h('p', {}, product.description) : null)),
    h('section', { class: 'panel' }, h('h2', {}, t('product.history')), chart(history.items), historyTable(history.items)));
  await price();
}

/** The base price over time as an SVG step line (no library), with the points' values for screen readers in the table below. */
function chart(changes) {
  const points = changes.filter((c) => c.kind === 'base' && c.new_price).map((c) => ({ at: new Date(c.at).getTime(), v: Number(c.new_price.amount) })).reverse();
  if (points.length < 2) return h('p', { class: 'muted small' }, t('product.historyFew'));
  points.push({ at: Date.now(), v: points[points.length - 1].v });
  const W = 600; const H = 200; const left = 56; const right = 16; const top = 12; const bottom = 30;
  const minT = points[0].at; const maxT = points[points.length - 1].at || minT + 1;
  const minV = Math.min(...points.map((p) => p.v)); const maxV = Math.max(...points.map((p) => p.v));
  const x = (at) => left + ((at - minT) / Math.max(1, maxT - minT)) * (W - left - right);
  const y = (v) => H - bottom - ((v - minV) / Math.max(1e-9, maxV - minV || 1)) * (H - top - bottom);
  let d = `M${x(points[0].at)},${y(points[0].v)}`;
  for (let i = 1; i < points.length; i++) d += ` H${x(points[i].at)} V${y(points[i].v)}`;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('product.historyChart', { min: minV, max: maxV }));
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  const line = (x1, y1, x2, y2) => {
    const l = document.createElementNS(ns, 'line');
    Object.entries({ x1, y1, x2, y2, class: 'axis' }).forEach(([k, v]) => l.setAttribute(k, v));
    svg.append(l);
  };
  const label = (text, attrs) => {
    const node = document.createElementNS(ns, 'text');
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
    node.textContent = text;
    svg.append(node);
  };
  // Price axis: the lowest and highest price.
  for (const v of new Set([maxV, minV])) label(formatNumber(v), { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' });
  // Time axis: the first change, today, and evenly spaced days between.
  line(left, H - bottom, W - right, H - bottom);
  const ticks = maxT - minT > 86400000 ? 4 : 1;
  for (let i = 0; i <= ticks; i++) {
    const at = minT + ((maxT - minT) * i) / ticks;
    line(x(at), H - bottom, x(at), H - bottom + 4);
    label(formatDate(new Date(at).toISOString()), { x: x(at), y: H - 8, 'text-anchor': i === 0 ? 'start' : i === ticks ? 'end' : 'middle' });
  }
  return svg;
}

function historyTable(changes) {
  if (!changes.length) return null;
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, [t('product.when'), t('product.who'), t('product.change'), t('product.old'), t('product.new')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, changes.slice(0, 50).map((c) => h('tr', {},
      h('td', {}, formatDateTime(c.at)), h('td', { class: 'text' }, c.actor_label || c.actor),
      h('td', {}, c.kind === 'base' ? t('product.basePrice') : `≥ ${c.min_quantity}`),
      h('td', {}, money(c.old_price) || '—'), h('td', {}, money(c.new_price) || '—'))))));
}
