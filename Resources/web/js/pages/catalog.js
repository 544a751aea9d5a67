import { attributeLabel, attributeValue } from '../attributes.js';
import { api, query } from '../api.js';
import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { categoryOptions, marked, money } from '../catalog-util.js';
import { BUSINESS_TYPES } from '../constants.js';

// The catalog: search as you type with suggestions, filters, facets, results a page at a time.
export async function render(main, ctx) {
  const params = ctx.query;
  const state = { cursor: null, items: [] };
  const input = h('input', {
    type: 'search', value: params.get('q') || '', placeholder: t('catalog.searchHint'), 'aria-label': t('catalog.search'),
    role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'suggestions', autocomplete: 'off',
  });
  const list = h('ul', { id: 'suggestions', role: 'listbox', class: 'suggestions', hidden: true, 'aria-label': t('catalog.suggestions') });
  const category = h('select', { 'aria-label': t('catalog.category') }, await categoryOptions(params.get('category_id'), t('catalog.allCategories')));
  const type = h('select', { 'aria-label': t('field.type') }, h('option', { value: '' }, t('businesses.allTypes')),
    BUSINESS_TYPES.map((x) => h('option', { value: x, selected: params.get('business_type') === x }, t(`type.${x}`))));
  const sort = h('select', { 'aria-label': t('catalog.sort') },
    ['relevance', 'price_asc', 'price_desc', 'newest'].map((x) => h('option', { value: x, selected: params.get('sort') === x }, t(`sort.${x}`))));
  const inStock = h('input', { type: 'checkbox', checked: params.get('in_stock') === 'true' });
  const chosen = { brand: params.get('brand') || '', city: params.get('city') || '', business_id: params.get('business_id') || '' };
  // Attribute filters (attr.<name>=value), from the address and from the attribute facets.
  for (const [key, value] of params) if (key.startsWith('attr.')) chosen[key] = value;
  const priceMin = h('input', { inputmode: 'decimal', value: params.get('price_min') || '', placeholder: '0', 'aria-label': t('catalog.priceMin') });
  const priceMax = h('input', { inputmode: 'decimal', value: params.get('price_max') || '', placeholder: '∞', 'aria-label': t('catalog.priceMax') });
  const facetsBox = h('aside', { class: 'facets', 'aria-label': t('catalog.facets') });
  const results = h('div', { class: 'product-grid', 'aria-live': 'polite' });
  const summary = h('p', { class: 'muted small' });
  const more = h('button', { type: 'button', hidden: true, onclick: () => load(false) }, t('action.loadMore'));

  function filters() {
    return { q: input.value.trim(), category_id: category.value, business_type: type.value, sort: sort.value === 'relevance' ? '' : sort.value,
      in_stock: inStock.checked ? 'true' : '', price_min: priceMin.value.trim(), price_max: priceMax.value.trim(), ...chosen };
  }

  async function load(reset) {
    if (reset) { state.cursor = null; state.items = []; }
    const f = filters();
    history.replaceState(null, '', `/catalog${query(f)}`);
    let page;
    try {
      page = await api.get(`/search/products${query({ ...f, facets: reset ? 'true' : '', cursor: state.cursor, limit: 24 })}`);
    } catch (error) {
      // A price the server cannot read: say so beside the results, keep what was shown.
      summary.textContent = error.message;
      return;
    }
    state.items = state.items.concat(page.items);
    state.cursor = page.next_cursor;
    more.hidden = !state.cursor;
    if (reset) {
      drawFacets(page.facets || {});
      summary.textContent = page.total === null ? '' : t(page.total_exact ? 'catalog.found' : 'catalog.foundMore', { count: page.total });
    }
    if (!state.items.length) return mount(results, h('p', { class: 'empty' }, t('catalog.none')));
    mount(results, state.items.map(card));
  }

  function card(hit) {
    const p = hit.product;
    return h('a', { class: 'card product-card', href: `/products/${p.id}` },
      h('h2', {}, marked(hit.highlight.name)),
      h('p', { class: 'muted small' }, [p.brand, p.sku].filter(Boolean).join(' · ')),
      h('p', { class: 'price' }, money(p.price)),
      h('span', { class: `badge avail-${p.availability}` }, t(`availability.${p.availability}`)),
      hit.highlight.description ? h('p', { class: 'snippet small' }, marked(hit.highlight.description)) : null);
  }

  function drawFacets(facets) {
    const group = (key, label, values, pick, show = (v) => v.label || v.value) => values?.length ? h('section', {}, h('h2', { class: 'small' }, label),
      h('ul', {}, values.slice(0, 12).map((v) => h('li', {}, h('button', {
        type: 'button', class: 'link-button', 'aria-pressed': String(pick(v)), onclick: () => toggle(key, v),
      }, `${show(v)} (${v.count})`))))) : null;
    const attributes = Object.keys(facets).filter((key) => key.startsWith('attr.')).sort();
    mount(facetsBox,
      group('category', t('catalog.category'), facets.category, (v) => category.value === v.value),
      group('brand', t('catalog.brand'), facets.brand, (v) => chosen.brand === v.value),
      group('business_id', t('catalog.seller'), facets.business, (v) => chosen.business_id === v.value),
      group('city', t('field.city'), facets.city, (v) => chosen.city === v.value),
      attributes.map((key) => group(key, attributeLabel(key.slice(5)), facets[key], (v) => chosen[key] === v.value,
        (v) => attributeValue(key.slice(5), v.value))));
  }

  function toggle(key, v) {
    if (key === 'category') category.value = category.value === v.value ? '' : v.value;
    else chosen[key] = chosen[key] === v.value ? '' : v.value;
    load(true);
  }

  // Suggestions: a listbox under the box, driven by the keyboard too.
  let active = -1;
  let suggestions = [];
  let timer;
  function closeSuggestions() { list.hidden = true; input.setAttribute('aria-expanded', 'false'); active = -1; }
  function drawSuggestions() {
    mount(list, suggestions.map((s, i) => h('li', {
      role: 'option', id: `sugg-${i}`, 'aria-selected': String(i === active), onmousedown: (e) => { e.preventDefault(); navigate(`/products/${s.product_id}`); },
    }, marked(s.highlight))));
    list.hidden = !suggestions.length;
    input.setAttribute('aria-expanded', String(!list.hidden));
    if (active >= 0) input.setAttribute('aria-activedescendant', `sugg-${active}`); else input.removeAttribute('aria-activedescendant');
  }
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      suggestions = q ? (await api.get(`/search/suggest${query({ q, limit: 6 })}`)).items : [];
      active = -1;
      drawSuggestions();
      load(true);
    }, 150);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && suggestions.length) { active = (active + 1) % suggestions.length; drawSuggestions(); e.preventDefault(); }
    else if (e.key === 'ArrowUp' && suggestions.length) { active = (active - 1 + suggestions.length) % suggestions.length; drawSuggestions(); e.preventDefault(); }
    else if (e.key === 'Enter') {
      e.preventDefault();
      if (active >= 0) navigate(`/products/${suggestions[active].product_id}`); else { closeSuggestions(); load(true); }
    } else if (e.key === 'Escape') closeSuggestions();
  });
  input.addEventListener('blur', () => setTimeout(closeSuggestions, 100));
  for (const control of [category, type, sort, inStock]) control.addEventListener('change', () => load(true));
  let priceTimer;
  for (const control of [priceMin, priceMax]) {
    control.addEventListener('input', () => { clearTimeout(priceTimer); priceTimer = setTimeout(() => load(true), 400); });
  }

  mount(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('nav.catalog'))),
    h('div', { class: 'search-box' }, input, list),
    h('div', { class: 'filters' }, category, type, sort, h('label', { class: 'checkbox' }, inStock, t('catalog.inStock')),
      h('span', { class: 'price-range' }, priceMin, '–', priceMax)),
    summary,
    h('div', { class: 'catalog-layout' }, facetsBox, h('div', {}, results, more)));
  await load(true);
}
