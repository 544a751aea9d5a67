// Contacts: the customers who write from the channels, found by name or phone, and one contact's
// page — details, tags and notes, their conversations and their business's orders, and merging
// another contact that is the same person.
import { api, query } from '../api.js';
import { busyButton, clearErrors, field, formValues, h, mount, showErrors, toast } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { pager } from '../pager.js';
import { channelBadge } from './inbox.js';

export async function render(main, ctx) {
  if (ctx.params.id) return contact(main, ctx.params.id);
  const search = h('input', { type: 'search', placeholder: t('contacts.search'), 'aria-label': t('contacts.search'), maxlength: 100 });
  const list = h('ul', { class: 'inbox' });
  const more = h('button', { type: 'button', hidden: true }, t('action.loadMore'));
  const { load } = pager((cursor) => api.get(`/contacts${query({ q: search.value.trim() || undefined, cursor })}`), (rows) => {
    if (!rows.length) return mount(list, h('li', { class: 'empty' }, t('contacts.none')));
    mount(list, rows.map((c) => h('li', {}, h('a', { href: `/contacts/${c.id}` }, h('strong', {}, c.name),
      h('span', { class: 'muted' }, [c.phone, c.telegram_id ? 'Telegram' : null, c.tags.join(', ')].filter(Boolean).join(' · '))))));
  }, more);
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => load(true), 250); });
  mount(main, h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('nav.contacts'))), h('div', { class: 'filters' }, search), list, more);
  await load(true);
}

async function contact(main, id) {
  let detail;
  try {
    detail = await api.get(`/contacts/${id}`);
  } catch (error) {
    if (error.status === 404) return mount(main, h('h1', { tabindex: -1 }, t('contacts.notFound')));
    throw error;
  }
  const c = detail.contact;
  const summary = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'stack' }, summary,
    field(t('field.name'), h('input', { name: 'name', value: c.name, required: true, maxlength: 200 })),
    field(t('contacts.phone'), h('input', { name: 'phone', type: 'tel', value: c.phone ?? '', placeholder: '+380501234567' })),
    field(t('contacts.language'), h('select', { name: 'language' }, ['', 'en', 'uk', 'ru'].map((l) => h('option', { value: l, selected: (c.language ?? '') === l }, l ? t(`contacts.lang.${l}`) : '—')))),
    field(t('contacts.tags'), h('input', { name: 'tags', value: c.tags.join(', '), maxlength: 1200 }), t('contacts.tagsHint')),
    field(t('contacts.notes'), h('textarea', { name: 'notes', rows: 3, maxlength: 4000 }, c.notes ?? '')),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'opted_out', checked: c.opted_out }), ' ', t('contacts.optedOut')),
    h('button', { class: 'primary', type: 'submit' }, t('action.save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, summary);
    const v = formValues(form, true);
    try {
      await api.patch(`/contacts/${id}`, { name: v.name, phone: v.phone ?? '', language: v.language ?? '', notes: v.notes ?? '',
        tags: (v.tags ?? '').split(',').map((s) => s.trim()).filter(Boolean), opted_out: form.querySelector('[name=opted_out]').checked });
      toast(t('inbox.saved'), 'success');
    } catch (error) { showErrors(form, error, summary); }
  });
  const other = h('input', { name: 'source', maxlength: 26, 'aria-label': t('contacts.mergeId'), placeholder: t('contacts.mergeId') });
  mount(main, h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, c.name)),
    h('p', { class: 'muted' }, [c.whatsapp_id ? `WhatsApp ${c.whatsapp_id}` : null, c.telegram_id ? `Telegram ${c.telegram_id}` : null].filter(Boolean).join(' · ')),
    form,
    h('h2', {}, t('contacts.conversations')),
    detail.conversations.length ? h('ul', { class: 'inbox' }, detail.conversations.map((x) => h('li', {}, h('a', { href: `/inbox/${x.id}` },
      h('span', {}, channelBadge(x.channel_kind), ' ', h('span', { class: 'badge' }, t(`inbox.status.${x.status}`))), h('span'),
      h('span', { class: 'preview muted' }, x.preview || ''),
      h('time', { class: 'muted', datetime: x.last_message_at ?? x.created_at }, formatDateTime(x.last_message_at ?? x.created_at)))))) : h('p', { class: 'empty' }, t('inbox.none')),
    h('h2', {}, t('contacts.orders')),
    detail.order_ids.length ? h('ul', {}, detail.order_ids.map((o) => h('li', {}, h('a', { href: `/orders/${o}` }, o)))) : h('p', { class: 'empty' }, t('contacts.noOrders')),
    h('h2', {}, t('contacts.merge')), h('p', { class: 'hint' }, t('contacts.mergeHint')),
    h('div', { class: 'inline-form' }, other, busyButton({ class: 'small' }, t('contacts.mergeButton'), async () => {
      await api.post(`/contacts/${id}/merge`, { source_id: other.value.trim() });
      toast(t('contacts.merged'), 'success');
      contact(main, id);
    })));
}
