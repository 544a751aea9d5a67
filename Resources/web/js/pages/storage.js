// Blob storage for tenant admins: S3 access keys (the secret shown once) and each bucket's usage.
import { api } from '../api.js';
import { busyButton, clearErrors, field, formValues, h, mount, openDialog, revealSecret, showErrors, toast } from '../dom.js';
import { formatBytes, formatDateTime, formatNumber, t } from '../i18n.js';

export async function render(main) {
  const keysBox = h('div', { class: 'table-wrap' });
  const bucketsBox = h('div', { class: 'table-wrap' });
  mount(main,
    h('h1', { tabindex: -1 }, t('storage.title')),
    h('p', { class: 'muted' }, t('storage.hint')),
    h('section', { class: 'panel', 'aria-labelledby': 'keys-title' },
      h('div', { class: 'panel-head' },
        h('h2', { id: 'keys-title' }, t('storage.keys')),
        h('button', { class: 'primary', type: 'button', onclick: () => createKey(() => loadKeys(keysBox)) }, t('storage.newKey'))),
      keysBox),
    h('section', { class: 'panel', 'aria-labelledby': 'buckets-title' },
      h('h2', { id: 'buckets-title' }, t('storage.buckets')),
      bucketsBox));
  await Promise.all([loadKeys(keysBox), loadBuckets(bucketsBox)]);
}

async function loadKeys(box) {
  const { items } = await api.get('/s3/keys');
  if (!items.length) return mount(box, h('p', { class: 'empty' }, t('storage.noKeys')));
  mount(box, h('table', {},
    h('caption', { class: 'visually-hidden' }, t('storage.keys')),
    h('thead', {}, h('tr', {}, [t('field.name'), t('storage.accessKey'), t('storage.created'), t('account.lastUsed'), ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((key) => h('tr', { class: key.revoked_at ? 'muted' : null },
      h('td', { class: 'text' }, key.name),
      h('td', {}, h('code', {}, key.access_key)),
      h('td', { class: 'text' }, formatDateTime(key.created_at), h('div', { class: 'small muted' }, key.created_by)),
      h('td', {}, formatDateTime(key.last_used_at)),
      h('td', { class: 'actions' }, key.revoked_at
        ? h('span', { class: 'badge' }, t('storage.revoked'))
        : busyButton({ class: 'danger small' }, t('action.revoke'), async () => {
          if (!confirm(t('storage.revokeConfirm', { name: key.name }))) return;
          await api.del(`/s3/keys/${encodeURIComponent(key.access_key)}`);
          toast(t('storage.keyRevoked'), 'success');
          await loadKeys(box);
        })))))));
}

async function loadBuckets(box) {
  const usage = await api.get('/s3/buckets');
  const total = usage.quota_bytes == null
    ? t('storage.usedNoQuota', { used: formatBytes(usage.used_bytes) })
    : t('storage.usedOfQuota', { used: formatBytes(usage.used_bytes), quota: formatBytes(usage.quota_bytes) });
  const meter = usage.quota_bytes ? h('meter', { min: 0, max: usage.quota_bytes, value: usage.used_bytes, 'aria-label': total }) : null;
  mount(box, h('p', {}, total), meter,
    usage.buckets.length ? h('table', {},
      h('caption', { class: 'visually-hidden' }, t('storage.buckets')),
      h('thead', {}, h('tr', {}, [t('storage.bucket'), t('storage.objects'), t('storage.size'), t('storage.created')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, usage.buckets.map((b) => h('tr', {},
        h('td', {}, h('a', { href: `/storage/buckets/${encodeURIComponent(b.name)}` }, h('code', {}, b.name))),
        h('td', { class: 'num' }, formatNumber(b.object_count)),
        h('td', { class: 'num' }, formatBytes(b.byte_count)),
        h('td', {}, formatDateTime(b.created_at))))))
      : h('p', { class: 'empty' }, t('storage.noBuckets')));
}

function createKey(reload) {
  return openDialog(t('storage.newKey'), (close) => {
    const summary = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = h('form', { novalidate: true },
      field(t('field.name'), { name: 'name', required: true, maxlength: 100, placeholder: t('storage.keyNameExample') }),
      summary,
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', onclick: () => close() }, t('action.cancel')),
        h('button', { class: 'primary', type: 'submit' }, t('action.create'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form, summary);
      try {
        const created = await api.post('/s3/keys', formValues(form, true));
        revealSecret(form, t('storage.secretOnce'),
          [[t('storage.accessKey'), created.key.access_key], [t('storage.secretKey'), created.secret]], close);
        reload();
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}
