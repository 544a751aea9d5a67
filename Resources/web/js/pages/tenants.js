import { api, query, request } from '../api.js';
import { busyButton, clearErrors, field, formValues, h, mount, openDialog, showErrors, toast } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { pager } from '../pager.js';
import { session } from '../session.js';

export async function render(main) {
  const list = h('div', { class: 'table-wrap' });
  const more = h('button', { type: 'button', hidden: true }, t('action.loadMore'));
  const status = h('select', { 'aria-label': t('field.status') },
    h('option', { value: '' }, t('tenants.allStatuses')),
    ['active', 'suspended'].map((s) => h('option', { value: s }, t(`status.${s}`))));
  const canManage = session.can('tenants.manage');
  const tenants = pager((cursor) => api.get(`/admin/tenants${query({ status: status.value, cursor, limit: 50 })}`), draw, more);
  const load = tenants.load;

  function draw(rows) {
    if (!rows.length) return mount(list, h('p', { class: 'empty' }, t('tenants.none')));
    mount(list, h('table', {},
      h('thead', {}, h('tr', {}, [t('field.name'), t('tenants.slug'), t('field.status'), t('tenants.plan'), t('field.createdAt'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((x) => h('tr', { class: x.status === 'suspended' ? 'disabled-row' : '' },
        h('td', { class: 'text' }, x.name),
        h('td', {}, h('code', {}, x.slug)),
        h('td', {}, h('span', { class: `badge status-${x.status}` }, t(`status.${x.status}`))),
        h('td', {}, x.plan),
        h('td', {}, formatDate(x.created_at)),
        h('td', { class: 'actions' }, canManage ? [statusButton(x), restoreButton(x)] : null))))));
  }

  function statusButton(tenant) {
    const suspend = tenant.status === 'active';
    return busyButton({ class: suspend ? 'danger small' : 'small' }, suspend ? t('tenants.suspend') : t('tenants.resume'), async () => {
      if (suspend && !confirm(t('tenants.suspendConfirm', { name: tenant.name }))) return;
      const updated = await api.post(`/admin/tenants/${tenant.id}/${suspend ? 'suspend' : 'resume'}`);
      tenants.update((r) => (r.id === updated.id ? updated : r));
      toast(t(suspend ? 'tenants.suspended' : 'tenants.resumed', { name: updated.name }), 'success');
    });
  }

  /** Puts the tenant back to an archive from `tradepost tenant export` (the server swaps it live). */
  function restoreButton(tenant) {
    const input = h('input', { type: 'file', accept: '.tar,application/x-tar', hidden: true, 'aria-label': t('tenants.restore') });
    const button = h('button', { type: 'button', class: 'small', onclick: () => input.click() }, t('tenants.restore'));
    input.addEventListener('change', async () => {
      const file = input.files[0];
      input.value = '';
      if (!file || !confirm(t('tenants.restoreConfirm', { name: tenant.name, file: file.name }))) return;
      button.disabled = true;
      try {
        await request('POST', `/admin/tenants/${tenant.id}/restore`, undefined, new Blob([file], { type: 'application/x-tar' }));
        toast(t('tenants.restored', { name: tenant.name }), 'success');
      } catch (error) {
        toast(error.message, 'error');
      } finally {
        button.disabled = false;
      }
    });
    return [button, input];
  }

  status.addEventListener('change', () => load(true));

  mount(main,
    h('div', { class: 'page-head' },
      h('h1', { tabindex: -1 }, t('nav.tenants')),
      canManage ? h('button', { class: 'primary', type: 'button', onclick: () => createTenant().then((ok) => ok && load(true)) }, t('tenants.create')) : null),
    h('div', { class: 'filters' }, status),
    list, more);
  await load(true);
}

async function createTenant() {
  const plans = (await api.get('/admin/plans')).items;
  return openDialog(t('tenants.create'), (close) => {
    const summary = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const form = h('form', { novalidate: true },
      field(t('field.name'), { name: 'name', required: true }),
      field(t('tenants.slug'), { name: 'slug', required: true, pattern: '[a-z][a-z0-9-]{1,39}', autocapitalize: 'none' }, t('tenants.slugHint')),
      field(t('tenants.plan'), h('select', { name: 'plan' }, plans.map((p) => h('option', { value: p.slug, selected: p.slug === 'standard' }, p.name)))),
      field(t('tenants.timeZone'), { name: 'time_zone', value: zone }),
      h('fieldset', { class: 'field' }, h('legend', {}, t('tenants.owner')),
        field(t('field.email'), { name: 'owner.email', type: 'email' }),
        field(t('field.name'), { name: 'owner.name' })),
      summary,
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', onclick: () => close(false) }, t('action.cancel')),
        h('button', { class: 'primary', type: 'submit' }, t('action.create'))));
    const slug = form.querySelector('[name=slug]');
    form.querySelector('[name=name]').addEventListener('input', (e) => {
      if (slug.dataset.touched) return;
      slug.value = e.target.value.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
    });
    slug.addEventListener('input', () => { slug.dataset.touched = '1'; });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form, summary);
      const v = formValues(form);
      const body = { name: v.name || '', slug: v.slug || '', plan: v.plan, time_zone: v.time_zone };
      if (v['owner.email']) body.owner = { email: v['owner.email'], name: v['owner.name'] || v['owner.email'] };
      try {
        const created = await api.post('/admin/tenants', body);
        toast(t('tenants.created', { name: created.tenant.name }), 'success');
        if (!created.owner?.generated_password) return close(true);
        mount(form, h('p', {}, t('users.generated', { email: created.owner.user.email })),
          h('input', { class: 'secret', readonly: true, value: created.owner.generated_password, 'aria-label': t('field.password') }),
          h('div', { class: 'dialog-actions' }, h('button', { class: 'primary', type: 'button', onclick: () => close(true) }, t('action.done'))));
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}
