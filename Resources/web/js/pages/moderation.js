import { api, query } from '../api.js';
import { busyButton, field, h, mount, openDialog, toast } from '../dom.js';
import { t } from '../i18n.js';
import { session } from '../session.js';
import { pager } from '../pager.js';
import { money } from '../catalog-util.js';

// Tenant admins: whether products need review, the queue of products waiting for it, and the
// search's synonyms and stop words.
export async function render(main) {
  const settings = await api.get('/catalog/settings');
  const toggle = h('input', { type: 'checkbox', checked: settings.require_review });
  toggle.addEventListener('change', async () => {
    try {
      await api.put('/catalog/settings', { require_review: toggle.checked });
      toast(t('moderation.saved'), 'success');
    } catch (error) { toast(error.message, 'error'); toggle.checked = !toggle.checked; }
  });
  const list = h('div', { class: 'table-wrap' });
  const more = h('button', { type: 'button', hidden: true }, t('action.loadMore'));
  const { load } = pager((cursor) => api.get(`/moderation/products${query({ cursor })}`), draw, more);

  function draw(rows) {
    if (!rows.length) return mount(list, h('p', { class: 'empty' }, t('moderation.none')));
    mount(list, h('table', {},
      h('thead', {}, h('tr', {}, [t('field.name'), t('product.sku'), t('product.price'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((p) => h('tr', {},
        h('td', { class: 'text' }, h('a', { href: `/products/${p.id}` }, p.name)), h('td', { class: 'text' }, p.sku), h('td', {}, money(p.price)),
        h('td', { class: 'actions' },
          busyButton({ class: 'primary small' }, t('moderation.approve'), async () => {
            await api.post(`/products/${p.id}/approve`);
            toast(t('moderation.approved', { name: p.name }), 'success');
            await load(true);
          }),
          h('button', { type: 'button', class: 'danger small', onclick: () => reject(p) }, t('moderation.reject'))))))));
  }

  const reject = (p) => openDialog(t('moderation.rejectTitle', { name: p.name }), (close) => {
    const reason = h('textarea', { name: 'reason', rows: 3, required: true });
    const form = h('form', { novalidate: true }, field(t('moderation.reason'), reason),
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', onclick: () => close() }, t('action.cancel')),
        h('button', { type: 'submit', class: 'primary' }, t('moderation.reject'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api.post(`/products/${p.id}/reject`, { reason: reason.value });
        close();
        toast(t('moderation.rejected', { name: p.name }), 'success');
        await load(true);
      } catch (error) { toast(error.fields?.[0]?.message || error.message, 'error'); }
    });
    return form;
  });

  mount(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('nav.moderation'))),
    h('label', { class: 'checkbox' }, toggle, t('moderation.requireReview')),
    list, more);
  await load(true);
}
