// Salespeople and their links: a salesperson asks to represent a seller or act for a buyer and
// uploads an identity document; a business's manager approves, refuses or revokes; tenant admins
// see every link, verify identities and revoke.
import { api, idempotencyKey, query } from '../api.js';
import { busyButton, field, formValues, h, mount, showErrors, toast } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { session } from '../session.js';

export async function render(main) {
  const me = session.me;
  const isSalesperson = me.user_kind === 'salesperson';
  const isAdmin = session.can('salespeople.verify');
  const links = (await api.get('/salesperson-links')).items;
  const table = h('div', { class: 'table-wrap' });
  const draw = (rows) => mount(table, rows.length ? h('table', {},
    h('thead', {}, h('tr', {}, [t('sales.salesperson'), t('sales.business'), t('sales.side'), t('field.status'), t('sales.requested'), ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((l) => h('tr', {},
      h('td', {}, l.user_name, l.identity_verified ? h('span', { class: 'badge', title: t('sales.verified') }, ' ✓') : null),
      h('td', {}, l.business_name), h('td', {}, t(`sales.side.${l.side}`)),
      h('td', {}, h('span', { class: `badge link-${l.state}` }, t(`sales.state.${l.state}`)), l.reason ? h('span', { class: 'muted' }, ` ${l.reason}`) : null),
      h('td', { class: 'nowrap' }, formatDateTime(l.requested_at)),
      h('td', { class: 'nowrap' }, actions(l)))))) : h('p', { class: 'empty' }, t('sales.none')));

  function actions(l) {
    const out = [];
    const act = (name) => busyButton({ class: 'small' }, t(`sales.${name}`), async () => {
      const reason = name === 'approve' ? undefined : prompt(t('sales.reason')) ?? undefined;
      await api.post(`/salesperson-links/${l.id}/${name}`, reason ? { reason } : {});
      toast(t('sales.done'), 'success');
      render(main);
    });
    if (l.state === 'requested' && l.user_id !== me.id) out.push(act('approve'), act('refuse'));
    if (l.state === 'requested' || l.state === 'active') out.push(act('revoke'));
    return out;
  }
  draw(links);

  const sections = [h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('nav.salespeople'))), h('p', { class: 'hint' }, t('sales.help')), table];
  if (isSalesperson) {
    const businesses = (await api.get('/businesses?limit=200')).items;
    const form = h('form', { class: 'inline-form' },
      h('div', { class: 'form-error', role: 'alert', hidden: true }),
      field(t('sales.business'), h('select', { name: 'business_id', required: true }, businesses.map((b) => h('option', { value: b.id }, b.name)))),
      field(t('sales.side'), h('select', { name: 'side' }, h('option', { value: 'seller' }, t('sales.side.seller')), h('option', { value: 'buyer' }, t('sales.side.buyer')))),
      field(t('sales.note'), h('input', { name: 'note', maxlength: 500 })),
      h('button', { class: 'primary', type: 'submit' }, t('sales.ask')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await api.create('/salesperson-links', formValues(form), idempotencyKey());
        toast(t('sales.asked'), 'success');
        render(main);
      } catch (error) { showErrors(form, error, form.querySelector('.form-error')); }
    });
    const mine = (await api.get('/salespeople')).items[0];
    const file = h('input', { type: 'file', accept: 'application/pdf,image/jpeg,image/png', 'aria-label': t('sales.document') });
    file.addEventListener('change', async () => {
      const f = file.files[0];
      if (!f) return;
      try {
        await fetch(`/api/v1/salespeople/me/document${query({ name: f.name })}`, {
          method: 'PUT', body: f, headers: { 'Content-Type': f.type, 'X-CSRF-Token': me.csrf_token }, credentials: 'same-origin' })
          .then(async (r) => { if (!r.ok) throw new Error((await r.json()).detail); });
        toast(t('sales.uploaded'), 'success');
        render(main);
      } catch (error) { toast(error.message, 'error'); }
    });
    sections.push(h('section', { class: 'panel' }, h('h2', {}, t('sales.askTitle')), form),
      h('section', { class: 'panel' }, h('h2', {}, t('sales.identity')),
        h('p', {}, mine?.uploaded_at ? (mine.verified_at ? t('sales.verifiedOn', { at: formatDateTime(mine.verified_at) }) : t('sales.waiting')) : t('sales.noDocument')),
        h('label', { class: 'button small' }, t('sales.upload'), file)));
  }
  if (isAdmin) {
    const people = (await api.get('/salespeople')).items;
    sections.push(h('section', { class: 'panel' }, h('h2', {}, t('sales.identities')),
      people.length ? h('ul', {}, people.map((p) => h('li', {}, p.user_name, ' — ',
        p.uploaded_at ? h('a', { href: `/api/v1/salespeople/${p.user_id}/document`, download: p.document_name }, p.document_name) : t('sales.noDocument'), ' ',
        p.verified_at ? h('span', { class: 'badge' }, t('sales.verified')) : p.uploaded_at ? busyButton({ class: 'small' }, t('sales.verify'), async () => {
          await api.post(`/salespeople/${p.user_id}/verify`);
          render(main);
        }) : null))) : h('p', { class: 'empty' }, t('sales.nobody'))));
  }
  mount(main, ...sections);
}
