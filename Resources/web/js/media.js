// A picture kept in the blob store (a product's image, a business's logo), with upload and
// removal for whoever may change its owner.
import { api, request } from './api.js';
import { busyButton, h, mount, toast } from './dom.js';
import { t } from './i18n.js';

const accepted = 'image/jpeg,image/png,image/webp,image/gif';

/** `path` is the picture's URL under /api/v1; `${path}-info` says whether there is one. */
export function picture(path, alt, canEdit) {
  const box = h('div', { class: 'picture' });
  const status = h('p', { class: 'small muted', 'aria-live': 'polite' });

  async function draw() {
    const { media } = await api.get(`${path}-info`);
    const frame = h('div', { class: 'picture-frame' }, media
      ? h('img', { src: `/api/v1${path}?v=${encodeURIComponent(media.etag)}`, alt, decoding: 'async' })
      : h('p', { class: 'picture-empty muted small' }, t('media.none')));
    const controls = canEdit ? h('div', { class: 'actions' }, uploadControl(), media && busyButton({ class: 'small', type: 'button' }, t('media.remove'), async () => {
      await request('DELETE', path);
      toast(t('media.removed'), 'success');
      await draw();
    })) : null;
    mount(box, frame, controls, status);
  }

  function uploadControl() {
    const input = h('input', { type: 'file', accept: accepted, class: 'visually-hidden', id: `pic-${Math.random().toString(36).slice(2)}` });
    input.addEventListener('change', async () => {
      const file = input.files[0];
      if (!file) return;
      status.textContent = t('media.uploading');
      try {
        await request('PUT', path, undefined, file);
        toast(t('media.uploaded'), 'success');
        status.textContent = '';
        await draw();
      } catch (error) {
        status.textContent = error.message;
      }
    });
    return h('span', {}, input, h('label', { for: input.id, class: 'button small', tabindex: 0,
      onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } } }, t('media.upload')));
  }

  draw().catch((error) => { status.textContent = error.message; });
  return box;
}
