// Shared bits of the trade screens: the businesses I act for, and how an order's state reads.
import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

const CHOSEN = 'tp.business';

/** The businesses I belong to ({business, role}), by name. */
export async function myBusinesses() {
  return (await api.get('/me/businesses')).items;
}

/** The business I last acted for, if I still belong to it; else the first. */
export function chosenBusiness(mine) {
  const id = localStorage.getItem(CHOSEN);
  return mine.find((m) => m.business.id === id)?.business || mine[0]?.business || null;
}

export function rememberBusiness(id) { localStorage.setItem(CHOSEN, id); }

/** A select of my businesses; `changed(id)` runs when another is picked. */
export function businessPicker(mine, current, changed) {
  const select = h('select', { 'aria-label': t('trade.actingFor') }, mine.map((m) => h('option', { value: m.business.id }, m.business.name)));
  select.value = current?.id || '';
  select.addEventListener('change', () => { rememberBusiness(select.value); changed(select.value); });
  return select;
}

export function stateBadge(state) {
  return h('span', { class: `badge order-${state}` }, t(`orderState.${state}`));
}

/** "tier ≥ 10", "your contract price" or "base price": which rule gave a line its price. */
export function priceSource(line) {
  if (line.price_source === 'price_list') return t('trade.sourceList');
  if (line.price_source === 'offer') return t('trade.sourceOffer');
  if (line.price_source === 'tier') return t('trade.sourceTier', { min: line.tier_min_quantity });
  return line.price_source ? t('trade.sourceBase') : '';
}
