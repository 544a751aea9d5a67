// A seller's buyer groups on its business page: named sets of buyer businesses that a price list
// can be made for. List, create, edit (name and members) and remove.
import { api } from '../api.js';
import { busyButton, field, h, mount, openDialog, showErrors, toast } from '../dom.js';
import { t } from '../i18n.js';

/** The panel; `changed` runs after a group is added, edited or removed (price lists name groups). */
export async function buyerGroupsPanel(businessId, changed) {
  const box = h('div', { class: 'table-wrap' });
  const redraw = async () => { await draw(box, businessId, redraw); await changed(); };
  const section = h('section', { class: 'panel' },
    h('div', { class: 'page-head' }, h('h2', {}, t('buyerGroup.title')),
      h('button', { type: 'button', onclick: () => edit(businessId, null, redraw) }, t('buyerGroup.add'))),
    h('p', { class: 'muted small' }, t('buyerGroup.help')), box);
  await draw(box, businessId, redraw);
  return section;
}

/** The other businesses of the tenant, by id: the buyers a group may hold. */
export async function buyers(businessId) {
  const { items } = await api.get('/businesses?limit=200');
  return items.filter((b) => b.id !== businessId);
}

async function draw(box, businessId, redraw) {
  const [{ items }, others] = await Promise.all([api.get(`/businesses/${businessId}/buyer-groups`), buyers(businessId)]);
  const names = Object.fromEntries(others.map((b) => [b.id, b.name]));
  if (!items.length) { mount(box, h('p', { class: 'empty' }, t('buyerGroup.none'))); return; }
  mount(box, h('table', {},
    h('thead', {}, h('tr', {}, [t('field.name'), t('buyerGroup.members'), ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((g) => h('tr', {},
      h('td', { class: 'text' }, g.name),
      h('td', { class: 'text' }, g.buyer_business_ids.map((id) => names[id] || id).join(', ') || '—'),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'small', 'aria-label': `${t('action.edit')} ${g.name}`, onclick: () => edit(businessId, g, redraw) },
          t('action.edit')),
        busyButton({ class: 'danger small', 'aria-label': `${t('action.remove')} ${g.name}` }, t('action.remove'), async () => {
          if (!confirm(t('buyerGroup.confirmRemove', { name: g.name }))) return;
          await api.del(`/buyer-groups/${g.id}`);
          toast(t('buyerGroup.removed'), 'success');
          await redraw();
        })))))));
}

/** The form for a new group (`group` null) or an existing one. */
async function edit(businessId, group, redraw) {
  const others = await buyers(businessId);
  const chosen = new Set(group?.buyer_business_ids || []);
  openDialog(group ? group.name : t('buyerGroup.add'), (close) => {
    const form = h('form', { novalidate: true });
    const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
    const filter = h('input', { type: 'search', placeholder: t('buyerGroup.filter'), 'aria-label': t('buyerGroup.filter') });
    const boxes = others.map((b) => h('label', { class: 'checkbox', dataset: { name: `${b.name} ${b.city}`.toLowerCase() } },
      h('input', { type: 'checkbox', name: 'buyer_business_ids', value: b.id, checked: chosen.has(b.id) }), `${b.name} (${b.city})`));
    filter.addEventListener('input', () => {
      const q = filter.value.trim().toLowerCase();
      for (const label of boxes) label.hidden = q !== '' && !label.dataset.name.includes(q);
    });
    mount(form, summary,
      field(t('field.name'), h('input', { name: 'name', required: true, maxlength: 120, value: group?.name || '' })),
      h('fieldset', { class: 'field' }, h('legend', {}, t('buyerGroup.members')), filter,
        others.length ? h('div', { class: 'checklist' }, boxes) : h('p', { class: 'muted' }, t('buyerGroup.noBuyers'))),
      h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, group ? t('action.save') : t('action.add'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const body = { name: data.get('name'), buyer_business_ids: data.getAll('buyer_business_ids') };
      try {
        if (group) await api.patch(`/buyer-groups/${group.id}`, body);
        else await api.post(`/businesses/${businessId}/buyer-groups`, body);
        close();
        toast(t('buyerGroup.saved'), 'success');
        await redraw();
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}
