import { api, query } from '../api.js';
import { clearErrors, field, formValues, h, mount, openDialog, showErrors, toast } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { pager } from '../pager.js';
import { session } from '../session.js';

const ROLES = ['member', 'admin', 'owner'];
const KINDS = ['member', 'salesperson'];

export async function render(main) {
  const canManage = session.can('users.manage');
  const list = h('div', { class: 'table-wrap' });
  const more = h('button', { type: 'button', hidden: true }, t('action.loadMore'));
  const search = h('input', { type: 'search', name: 'q', placeholder: t('users.search'), 'aria-label': t('users.search') });
  const role = h('select', { name: 'role', 'aria-label': t('field.role') },
    h('option', { value: '' }, t('users.allRoles')), ROLES.map((r) => h('option', { value: r }, t(`role.${r}`))));
  const users = pager((cursor) => api.get(`/users${query({ q: search.value.trim(), role: role.value, cursor, limit: 50 })}`), draw, more);
  const load = users.load;

  function draw(rows) {
    if (!rows.length) return mount(list, h('p', { class: 'empty' }, t('users.none')));
    mount(list, h('table', {},
      h('thead', {}, h('tr', {}, [t('field.name'), t('field.email'), t('field.role'), t('field.kind'), t('users.lastLogin'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((u) => h('tr', { class: u.disabled ? 'disabled-row' : '' },
        h('td', { class: 'text' }, u.name, u.disabled ? h('span', { class: 'badge badge-muted' }, t('users.disabled')) : null),
        h('td', { class: 'text' }, u.email),
        h('td', {}, t(`role.${u.role}`)),
        h('td', {}, t(`kind.${u.kind}`)),
        h('td', {}, formatDateTime(u.last_login_at)),
        h('td', { class: 'actions' }, canManage && u.id !== session.me.id
          ? h('button', { type: 'button', class: 'small', onclick: () => editUser(u).then((changed) => changed && load(true)) }, t('action.edit'))
          : null))))));
  }

  let timer;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => load(true), 250); });
  role.addEventListener('change', () => load(true));

  mount(main,
    h('div', { class: 'page-head' },
      h('h1', { tabindex: -1 }, t('nav.users')),
      canManage ? h('button', { class: 'primary', type: 'button', onclick: () => addUser().then((added) => added && load(true)) }, t('users.add')) : null),
    h('div', { class: 'filters' }, search, role),
    list, more);
  await load(true);
}

function select(name, values, labelPrefix, selected) {
  return h('select', { name }, values.map((v) => h('option', { value: v, selected: v === selected }, t(`${labelPrefix}.${v}`))));
}

function addUser() {
  const roles = session.me.role === 'owner' ? ROLES : ROLES.filter((r) => r !== 'owner');
  return openDialog(t('users.add'), (close) => {
    const summary = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = h('form', { novalidate: true },
      field(t('field.email'), { name: 'email', type: 'email', required: true, autocomplete: 'off' }),
      field(t('field.name'), { name: 'name', required: true }),
      field(t('field.role'), select('role', roles, 'role', 'member')),
      field(t('field.kind'), select('kind', KINDS, 'kind', 'member')),
      field(t('field.password'), { name: 'password', type: 'password', autocomplete: 'new-password' }, t('users.passwordHint')),
      summary,
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', onclick: () => close(false) }, t('action.cancel')),
        h('button', { class: 'primary', type: 'submit' }, t('action.add'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form, summary);
      try {
        const created = await api.post('/users', formValues(form));
        toast(t('users.added', { email: created.user.email }), 'success');
        if (!created.generated_password) return close(true);
        mount(form, h('p', {}, t('users.generated', { email: created.user.email })),
          h('input', { class: 'secret', readonly: true, value: created.generated_password, 'aria-label': t('field.password') }),
          h('div', { class: 'dialog-actions' }, h('button', { class: 'primary', type: 'button', onclick: () => close(true) }, t('action.done'))));
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}

function editUser(user) {
  const roles = session.me.role === 'owner' ? ROLES : ROLES.filter((r) => r !== 'owner');
  const canEdit = session.me.role === 'owner' || user.role !== 'owner';
  return openDialog(t('users.edit', { name: user.name }), (close) => {
    const summary = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const disabled = h('input', { type: 'checkbox', name: 'disabled', checked: user.disabled });
    const form = h('form', { novalidate: true },
      field(t('field.name'), { name: 'name', value: user.name, required: true }),
      field(t('field.role'), select('role', roles.includes(user.role) ? roles : [user.role], 'role', user.role)),
      field(t('field.kind'), select('kind', KINDS, 'kind', user.kind)),
      h('label', { class: 'checkbox' }, disabled, t('users.disableLabel')),
      field(t('users.newPassword'), { name: 'password', type: 'password', autocomplete: 'new-password' }, t('users.newPasswordHint')),
      summary,
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', onclick: () => close(false) }, t('action.cancel')),
        h('button', { class: 'primary', type: 'submit', disabled: !canEdit }, t('action.save'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form, summary);
      const values = formValues(form, true);
      try {
        await api.patch(`/users/${user.id}`, { name: values.name, role: values.role, kind: values.kind, disabled: disabled.checked });
        if (values.password) await api.post(`/users/${user.id}/password`, { password: values.password });
        toast(t('users.saved'), 'success');
        close(true);
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}
