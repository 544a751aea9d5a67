// A selling business's warehouses: list, add, rename, re-prioritise, (de)activate.
import { api, idempotencyKey } from '../api.js';
import { field, h, mount, openDialog, showErrors, toast } from '../dom.js';
import { t } from '../i18n.js';

/** The panel; `changed` runs after a warehouse is added or changed (levels name warehouses). */
export async function warehousesPanel(businessId, changed) {
  const box = h('div', { class: 'table-wrap' });
  const redraw = async () => { await draw(box, businessId, redraw); await changed(); };
  const section = h('section', { class: 'panel' },
    h('div', { class: 'page-head' }, h('h2', {}, t('warehouse.title')),
      h('button', { type: 'button', onclick: () => edit(businessId, null, redraw) }, t('warehouse.add'))),
    h('p', { class: 'muted small' }, t('warehouse.help')), box);
  await draw(box, businessId, redraw);
  return section;
}

async function draw(box, businessId, redraw) {
  const { items } = await api.get(`/businesses/${businessId}/warehouses`);
  if (!items.length) { mount(box, h('p', { class: 'empty' }, t('warehouse.none'))); return; }
  mount(box, h('table', {},
    h('thead', {}, h('tr', {}, [t('warehouse.name'), t('field.address'), t('warehouse.priority'), t('field.status'), '']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((w) => h('tr', { class: w.active ? '' : 'muted' },
      h('td', { class: 'text' }, w.name),
      h('td', { class: 'text' }, w.address || '—'),
      h('td', {}, String(w.priority)),
      h('td', {}, w.active ? t('warehouse.active') : t('warehouse.inactive')),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'small', 'aria-label': `${t('action.edit')} ${w.name}`, onclick: () => edit(businessId, w, redraw) },
          t('action.edit'))))))));
}

/** The form for a new warehouse (`warehouse` null) or an existing one. */
function edit(businessId, warehouse, redraw) {
  const key = idempotencyKey();
  openDialog(warehouse ? warehouse.name : t('warehouse.add'), (close) => {
    const form = h('form', { novalidate: true });
    const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
    mount(form, summary,
      field(t('warehouse.name'), h('input', { name: 'name', required: true, maxlength: 120, value: warehouse?.name || '' })),
      field(t('field.address'), h('textarea', { name: 'address', maxlength: 300, rows: 2 }, warehouse?.address || '')),
      field(t('warehouse.priority'), h('input', { name: 'priority', type: 'number', step: 1, value: String(warehouse?.priority ?? 0) }),
        t('warehouse.priorityHint')),
      h('label', { class: 'checkbox' }, h('input', { type: 'checkbox', name: 'active', checked: warehouse ? warehouse.active : true }),
        t('warehouse.active')),
      h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, warehouse ? t('action.save') : t('action.add'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const body = { name: data.get('name'), address: data.get('address').trim() || null, priority: Number(data.get('priority') || 0),
        active: data.get('active') === 'on' };
      try {
        if (warehouse) await api.patch(`/warehouses/${warehouse.id}`, body);
        else await api.create(`/businesses/${businessId}/warehouses`, body, key);
        close();
        toast(t('warehouse.saved'), 'success');
        await redraw();
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}
