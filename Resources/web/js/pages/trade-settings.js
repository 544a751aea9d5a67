// A business's trade: how its orders are numbered and taxed, the legal details printed on its
// documents, the credit limits it gives buyers, and CSV exports for its accountant.
import { api, idempotencyKey } from '../api.js';
import { busyButton, field, h, mount, showErrors, toast } from '../dom.js';
import { t } from '../i18n.js';
import { money } from '../catalog-util.js';

export async function render(main, ctx) {
  const id = ctx.params.id;
  const [business, settings, legal] = await Promise.all([
    api.get(`/businesses/${id}`), api.get(`/businesses/${id}/trade-settings`), api.get(`/businesses/${id}/legal`)]);
  const [limits, promos] = await Promise.all([creditLimitsPanel(id), promoPanel(id)]);
  mount(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: `/businesses/${id}` }, business.name)),
    h('h1', { tabindex: -1 }, t('tradeSettings.title')),
    settingsForm(id, settings), legalForm(id, legal), limits, promos, exportsPanel(id));
}

function settingsForm(id, s) {
  const form = h('form', { class: 'panel', novalidate: true });
  const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
  const kind = h('select', { name: 'kind' }, h('option', { value: 'prepaid' }, t('trade.prepaid')), h('option', { value: 'net' }, t('tradeSettings.net')));
  kind.value = s.default_payment_terms.kind;
  mount(form, h('h2', {}, t('tradeSettings.orders')), summary,
    field(t('tradeSettings.prefix'), h('input', { name: 'order_prefix', required: true, maxlength: 10, value: s.order_prefix }), t('tradeSettings.prefixHint')),
    h('label', { class: 'checkbox' }, h('input', { type: 'checkbox', name: 'prices_include_tax', checked: s.prices_include_tax }), t('tradeSettings.includeTax')),
    h('label', { class: 'checkbox' }, h('input', { type: 'checkbox', name: 'allow_backorders', checked: s.allow_backorders }), t('tradeSettings.backorders')),
    field(t('trade.paymentTerms'), kind),
    field(t('tradeSettings.days'), h('input', { name: 'default_payment_terms.days', type: 'number', min: 1, max: 365, value: s.default_payment_terms.days ?? '' })),
    h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, t('action.save'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const terms = { kind: data.get('kind') };
    if (terms.kind === 'net') terms.days = Number(data.get('default_payment_terms.days') || 0);
    try {
      await api.put(`/businesses/${id}/trade-settings`, { order_prefix: data.get('order_prefix').trim().toUpperCase(),
        prices_include_tax: data.get('prices_include_tax') === 'on', allow_backorders: data.get('allow_backorders') === 'on', default_payment_terms: terms });
      toast(t('tradeSettings.saved'), 'success');
    } catch (error) { showErrors(form, error, summary); }
  });
  return form;
}

function legalForm(id, d) {
  const form = h('form', { class: 'panel', novalidate: true });
  const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
  const language = h('select', { name: 'document_language' }, ['en', 'uk', 'ru'].map((l) => h('option', { value: l }, t(`language.${l}`))));
  language.value = d.document_language;
  mount(form, h('h2', {}, t('legal.title')), h('p', { class: 'muted small' }, t('legal.help')), summary,
    field(t('legal.name'), h('input', { name: 'legal_name', required: true, maxlength: 200, value: d.legal_name })),
    field(t('legal.taxId'), h('input', { name: 'tax_id', maxlength: 40, value: d.tax_id || '' })),
    field(t('field.address'), h('textarea', { name: 'address', maxlength: 400, rows: 2 }, d.address || '')),
    field(t('legal.account'), h('input', { name: 'bank_account', maxlength: 64, value: d.bank_account || '' })),
    field(t('legal.bank'), h('input', { name: 'bank_name', maxlength: 200, value: d.bank_name || '' })),
    field(t('legal.language'), language, t('legal.languageHint')),
    h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, t('action.save'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { legal_name: data.get('legal_name'), document_language: data.get('document_language') };
    for (const name of ['tax_id', 'address', 'bank_account', 'bank_name']) body[name] = data.get(name).trim() || null;
    try {
      await api.put(`/businesses/${id}/legal`, body);
      toast(t('legal.saved'), 'success');
    } catch (error) { showErrors(form, error, summary); }
  });
  return form;
}

async function creditLimitsPanel(id) {
  const section = h('section', { class: 'panel' });
  const draw = async () => {
    let items;
    try { ({ items } = await api.get(`/businesses/${id}/credit-limits`)); } catch { section.hidden = true; return; }
    const buyers = (await api.get('/businesses?limit=200')).items.filter((b) => b.id !== id);
    const form = h('form', { class: 'inline-form', novalidate: true });
    const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
    mount(form, summary,
      field(t('trade.buyer'), h('select', { name: 'buyer' }, buyers.map((b) => h('option', { value: b.id }, b.name)))),
      field(t('credit.limit'), h('input', { name: 'limit.amount', inputmode: 'decimal', required: true })),
      field(t('product.currency'), h('input', { name: 'limit.currency', value: 'UAH', maxlength: 3, size: 4 })),
      h('button', { type: 'submit' }, t('credit.set')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      try {
        await api.put(`/businesses/${id}/credit-limits/${data.get('buyer')}`,
          { limit: { amount: data.get('limit.amount'), currency: data.get('limit.currency').toUpperCase() } });
        toast(t('credit.saved'), 'success');
        await draw();
      } catch (error) { showErrors(form, error, summary); }
    });
    mount(section, h('h2', {}, t('credit.title')), h('p', { class: 'muted small' }, t('credit.help')),
      items.length ? h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, [t('trade.buyer'), t('credit.limit'), t('credit.exposure'), ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, items.map((c) => h('tr', {},
          h('td', { class: 'text' }, c.buyer_name), h('td', { class: 'nowrap' }, money(c.limit)), h('td', { class: 'nowrap' }, money(c.exposure)),
          h('td', { class: 'actions' }, busyButton({ class: 'small' }, t('credit.remove'), async () => {
            await api.del(`/businesses/${id}/credit-limits/${c.buyer_business_id}`);
            await draw();
          }))))))) : h('p', { class: 'empty' }, t('credit.none')),
      form);
  };
  await draw();
  return section;
}

async function promoPanel(id) {
  const section = h('section', { class: 'panel' });
  const draw = async () => {
    let items;
    try { ({ items } = await api.get(`/businesses/${id}/promo-codes`)); } catch { section.hidden = true; return; }
    const form = h('form', { class: 'inline-form', novalidate: true });
    const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
    const kind = h('select', { name: 'kind' }, h('option', { value: 'percent' }, t('promo.percent')), h('option', { value: 'fixed' }, t('promo.fixed')));
    let key = idempotencyKey();
    mount(form, summary,
      field(t('promo.code'), h('input', { name: 'code', required: true, maxlength: 32 })),
      field(t('promo.kind'), kind),
      field(t('promo.value'), h('input', { name: 'value', inputmode: 'decimal', required: true }), t('promo.valueHint')),
      field(t('product.currency'), h('input', { name: 'currency', value: 'UAH', maxlength: 3, size: 4 })),
      field(t('promo.minOrder'), h('input', { name: 'min_order', inputmode: 'decimal' })),
      field(t('promo.validTo'), h('input', { name: 'valid_to', type: 'date' })),
      field(t('promo.totalLimit'), h('input', { name: 'total_limit', type: 'number', min: 1 })),
      field(t('promo.perBuyerLimit'), h('input', { name: 'per_buyer_limit', type: 'number', min: 1 })),
      h('button', { type: 'submit' }, t('promo.add')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const body = { code: data.get('code'), kind: data.get('kind') };
      body[body.kind === 'percent' ? 'percent' : 'amount'] = data.get('value');
      if (body.kind === 'fixed' || data.get('min_order')) body.currency = data.get('currency').toUpperCase();
      if (data.get('min_order')) body.min_order = data.get('min_order');
      if (data.get('valid_to')) body.valid_to = data.get('valid_to');
      for (const name of ['total_limit', 'per_buyer_limit']) if (data.get(name)) body[name] = Number(data.get(name));
      try {
        await api.create(`/businesses/${id}/promo-codes`, body, key);
        key = idempotencyKey();
        toast(t('promo.saved'), 'success');
        await draw();
      } catch (error) {
        showErrors(form, { ...error, fields: (error.fields || []).map((f) => (['percent', 'amount'].includes(f.field) ? { ...f, field: 'value' } : f)) }, summary);
      }
    });
    mount(section, h('h2', {}, t('promo.title')), h('p', { class: 'muted small' }, t('promo.help')),
      items.length ? h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, [t('promo.code'), t('promo.value'), t('promo.minOrder'), t('promo.validTo'), t('promo.used'), '']
          .map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, items.map((c) => h('tr', { class: c.active ? '' : 'muted' },
          h('td', { class: 'nowrap' }, c.code),
          h('td', { class: 'nowrap' }, c.kind === 'percent' ? `${c.percent} %` : money(c.amount)),
          h('td', { class: 'nowrap' }, c.min_order ? money(c.min_order) : '—'),
          h('td', { class: 'nowrap' }, c.valid_to || '—'),
          h('td', {}, c.total_limit ? `${c.used} / ${c.total_limit}` : String(c.used)),
          h('td', { class: 'actions' }, busyButton({ class: 'small' }, c.active ? t('promo.off') : t('promo.on'), async () => {
            await api.patch(`/promo-codes/${c.id}`, { active: !c.active });
            await draw();
          }))))))) : h('p', { class: 'empty' }, t('promo.none')),
      form);
  };
  await draw();
  return section;
}

function exportsPanel(id) {
  const link = (kind, side) => h('a', { class: 'button small', href: `/api/v1/businesses/${id}/${kind}/export?side=${side}`, download: '' },
    t(`export.${kind}`));
  return h('section', { class: 'panel' }, h('h2', {}, t('export.title')), h('p', { class: 'muted small' }, t('export.help')),
    h('p', {}, h('strong', {}, t('trade.received')), ' ', ['orders', 'invoices', 'payments'].map((k) => [link(k, 'seller'), ' '])),
    h('p', {}, h('strong', {}, t('trade.placedByUs')), ' ', ['orders', 'invoices', 'payments'].map((k) => [link(k, 'buyer'), ' '])));
}
