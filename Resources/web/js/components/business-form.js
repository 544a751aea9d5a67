import { api } from '../api.js';
import { clearErrors, field, formValues, h, showErrors } from '../dom.js';
import { BUSINESS_TYPES } from '../constants.js';
import { t } from '../i18n.js';

const OPTIONAL = ['address', 'phone', 'email', 'website', 'description', 'latitude', 'longitude'];

/** The create/edit form of a business. `onSaved(business)` runs after a successful save. */
export function businessForm(business, onSaved, onCancel) {
  const summary = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const value = (k) => (business && business[k] != null ? String(business[k]) : '');
  const form = h('form', { novalidate: true, class: 'business-form' },
    field(t('field.name'), { name: 'name', value: value('name'), required: true }),
    field(t('field.type'), h('select', { name: 'type', required: true },
      BUSINESS_TYPES.map((x) => h('option', { value: x, selected: x === (business?.type || 'supplier') }, t(`type.${x}`))))),
    field(t('field.city'), { name: 'city', value: value('city'), required: true, autocomplete: 'address-level2' }),
    field(t('field.address'), { name: 'address', value: value('address'), autocomplete: 'street-address' }),
    field(t('field.phone'), { name: 'phone', type: 'tel', value: value('phone'), autocomplete: 'tel' }),
    field(t('field.email'), { name: 'email', type: 'email', value: value('email') }),
    field(t('field.website'), { name: 'website', value: value('website') }),
    field(t('field.description'), h('textarea', { name: 'description', rows: 3 }, value('description'))),
    h('div', { class: 'grid-2' },
      field(t('field.latitude'), { name: 'latitude', value: value('latitude'), inputmode: 'decimal' }),
      field(t('field.longitude'), { name: 'longitude', value: value('longitude'), inputmode: 'decimal' })),
    summary,
    h('div', { class: 'dialog-actions' },
      onCancel ? h('button', { type: 'button', onclick: onCancel }, t('action.cancel')) : null,
      h('button', { class: 'primary', type: 'submit' }, business ? t('action.save') : t('action.add'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, summary);
    const values = formValues(form, true);
    // On edit an emptied optional field is cleared (null); on create it is left out.
    const body = {};
    for (const [k, v] of Object.entries(values)) {
      if (OPTIONAL.includes(k) && v === '') { if (business) body[k] = null; } else body[k] = v;
    }
    for (const k of ['latitude', 'longitude']) if (typeof body[k] === 'string') body[k] = Number(body[k].replace(',', '.'));
    try {
      const saved = business ? await api.patch(`/businesses/${business.id}`, body) : await api.post('/businesses', body);
      await onSaved(saved);
    } catch (error) { showErrors(form, error, summary); }
  });
  return form;
}
