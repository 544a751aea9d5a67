// One bucket, one folder level at a time: sub-folders, objects (download, delete) and uploads.
import { api, query, request } from '../api.js';
import { busyButton, h, mount, toast } from '../dom.js';
import { formatBytes, formatDateTime, t } from '../i18n.js';
import { navigate } from '../router.js';

export async function render(main, ctx) {
  const bucket = ctx.params.bucket;
  const prefix = ctx.query.get('prefix') || '';
  const here = (p) => `/storage/buckets/${encodeURIComponent(bucket)}${p ? query({ prefix: p }) : ''}`;
  const listBox = h('div', { class: 'table-wrap' });
  const status = h('p', { class: 'small muted', 'aria-live': 'polite' });
  const input = h('input', { type: 'file', id: 'bucket-upload', class: 'visually-hidden' });
  input.addEventListener('change', async () => {
    const file = input.files[0];
    if (!file) return;
    status.textContent = t('media.uploading');
    try {
      await request('PUT', `/s3/buckets/${encodeURIComponent(bucket)}/object${query({ key: prefix + file.name })}`, undefined,
        file.type ? file : new Blob([file], { type: 'application/octet-stream' }));
      status.textContent = '';
      toast(t('storage.uploaded', { name: file.name }), 'success');
      await load();
    } catch (error) { status.textContent = error.message; }
  });
  const crumbs = [h('a', { href: here('') }, bucket)];
  let path = '';
  for (const part of prefix.split('/').filter(Boolean)) {
    path += `${part}/`;
    crumbs.push(' / ', h('a', { href: here(path) }, part));
  }
  mount(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/storage' }, t('nav.storage'))),
    h('div', { class: 'page-head' },
      h('h1', { tabindex: -1 }, crumbs),
      h('span', {}, input, h('label', { for: 'bucket-upload', class: 'button primary', tabindex: 0,
        onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } } }, t('storage.upload')))),
    status, listBox);

  async function load(cursor) {
    const page = await api.get(`/s3/buckets/${encodeURIComponent(bucket)}/objects${query({ prefix, cursor, limit: 200 })}`);
    if (!page.items.length && !page.prefixes.length) return mount(listBox, h('p', { class: 'empty' }, t('storage.emptyFolder')));
    mount(listBox, h('table', {},
      h('caption', { class: 'visually-hidden' }, prefix || bucket),
      h('thead', {}, h('tr', {}, [t('field.name'), t('storage.size'), t('storage.modified'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {},
        page.prefixes.map((p) => h('tr', {},
          h('td', { class: 'text' }, h('a', { href: here(p), onclick: (e) => { e.preventDefault(); navigate(here(p)); } }, `📁 ${p.slice(prefix.length)}`)),
          h('td', {}), h('td', {}), h('td', {}))),
        page.items.map((o) => h('tr', {},
          h('td', { class: 'text' }, h('a', { href: `/api/v1/s3/buckets/${encodeURIComponent(bucket)}/object${query({ key: o.key })}`, download: '' }, o.key.slice(prefix.length))),
          h('td', { class: 'num' }, formatBytes(o.size)),
          h('td', {}, formatDateTime(o.modified_at)),
          h('td', { class: 'actions' }, busyButton({ class: 'danger small', 'aria-label': t('storage.deleteObject', { name: o.key }) }, t('action.delete'), async () => {
            if (!confirm(t('storage.deleteConfirm', { name: o.key }))) return;
            await api.del(`/s3/buckets/${encodeURIComponent(bucket)}/object${query({ key: o.key })}`);
            toast(t('storage.deleted'), 'success');
            await load();
          })))))),
    page.next_cursor ? h('button', { type: 'button', onclick: () => load(page.next_cursor) }, t('storage.more')) : null);
  }
  await load();
}
