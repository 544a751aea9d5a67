import { api } from '../api.js';
import { clearErrors, field, h, showErrors } from '../dom.js';
import { t } from '../i18n.js';
import { categoryOptions } from '../catalog-util.js';

const OPTIONAL = ['brand', 'manufacturer', 'description', 'category_id'];
const NUMBERS = ['pack_size', 'min_order_quantity', 'order_multiple', 'stock_quantity', 'priority'];

/** The product editor. Tiers and attributes are one per line: "10 = 24.00", "dosage_form: tablet". */
export async function productForm(product, businessId, onSaved, onCancel) {
  const summary = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const v = (k, d = '') => (product && product[k] !== null && product[k] !== undefined ? product[k] : d);
  const tiers = (product?.tiers || []).map((x) => `${x.min_quantity} = ${x.price.amount}`).join('\n');
  const attributes = Object.entries(product?.attributes || {}).map(([k, x]) => `${k}: ${x}`).join('\n');
  const form = h('form', { novalidate: true, class: 'product-form' },
    h('div', { class: 'grid-2' },
      field(t('product.sku'), { name: 'sku', value: v('sku'), required: true }),
      field(t('field.name'), { name: 'name', value: v('name'), required: true })),
    h('div', { class: 'grid-2' },
      field(t('catalog.brand'), { name: 'brand', value: v('brand') }),
      field(t('product.manufacturer'), { name: 'manufacturer', value: v('manufacturer') })),
    field(t('catalog.category'), h('select', { name: 'category_id' }, await categoryOptions(v('category_id'), '—'))),
    h('div', { class: 'grid-3' },
      field(t('product.price'), { name: 'price', value: product?.price.amount || '', inputmode: 'decimal', required: true }),
      field(t('product.currency'), { name: 'currency', value: product?.price.currency || 'UAH', maxlength: 3, required: true }),
      field(t('product.unit'), { name: 'unit', value: v('unit', 'pcs') })),
    field(t('product.tiers'), h('textarea', { name: 'tiers', rows: 3, placeholder: '10 = 24.00' }, tiers), t('product.tiersHint')),
    h('div', { class: 'grid-3' },
      field(t('product.packSize'), { name: 'pack_size', type: 'number', min: 1, value: v('pack_size', 1) }),
      field(t('product.moq'), { name: 'min_order_quantity', type: 'number', min: 1, value: v('min_order_quantity', 1) }),
      field(t('product.multiple'), { name: 'order_multiple', type: 'number', min: 1, value: v('order_multiple', 1) })),
    h('div', { class: 'grid-3' },
      field(t('product.stock'), { name: 'stock_quantity', type: 'number', min: 0, value: v('stock_quantity', 0) }),
      field(t('product.availability'), h('select', { name: 'availability' },
        ['in_stock', 'out_of_stock', 'on_request'].map((x) => h('option', { value: x, selected: v('availability', 'in_stock') === x }, t(`availability.${x}`))))),
      field(t('product.priority'), { name: 'priority', type: 'number', min: 0, max: 1000, value: v('priority', 0) })),
    field(t('field.status'), h('select', { name: 'status' },
      ['draft', 'published', 'archived'].map((x) => h('option', { value: x, selected: (v('status', 'draft') === x) || (x === 'published' && v('status') === 'pending_review') }, t(`productStatus.${x}`))))),
    field(t('product.attributes'), h('textarea', { name: 'attributes', rows: 3, placeholder: 'dosage_form: tablet' }, attributes)),
    field(t('field.description'), h('textarea', { name: 'description', rows: 4 }, v('description'))),
    summary,
    h('div', { class: 'dialog-actions' },
      onCancel ? h('button', { type: 'button', onclick: onCancel }, t('action.cancel')) : null,
      h('button', { class: 'primary', type: 'submit' }, product ? t('action.save') : t('action.add'))));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, summary);
    const body = {};
    for (const [k, raw] of new FormData(form).entries()) {
      const value = String(raw).trim();
      if (k === 'tiers') {
        body.tiers = value.split('\n').map((l) => l.trim()).filter(Boolean).map((line) => {
          const [q, price] = line.split(/[=:]/).map((x) => x.trim());
          return { min_quantity: Number(q), price: price || '' };
        });
      } else if (k === 'attributes') {
        body.attributes = Object.fromEntries(value.split('\n').map((l) => l.trim()).filter(Boolean)
          .map((line) => { const at = line.indexOf(':'); return at < 0 ? [line, ''] : [line.slice(0, at).trim(), line.slice(at + 1).trim()]; }));
      } else if (NUMBERS.includes(k)) {
        if (value !== '') body[k] = Number(value);
      } else if (OPTIONAL.includes(k) && value === '') {
        if (product) body[k] = null;
      } else body[k] = value;
    }
    try {
      const saved = product ? await api.patch(`/products/${product.id}`, body) : await api.post(`/businesses/${businessId}/products`, body);
      await onSaved(saved);
    } catch (error) { showErrors(form, error, summary); }
  });
  return form;
}
