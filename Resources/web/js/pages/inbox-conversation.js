// One customer conversation in the inbox: the messages (live, like every conversation), the
// customer, status, assignee and labels, a reply that goes out through the channel with its
// delivery status, and WhatsApp's 24-hour window said plainly when it is closed.
import { api, idempotencyKey } from '../api.js';
import { busyButton, clearErrors, field, h, mount, showErrors, toast } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { session } from '../session.js';
import { linkify, listen, seen } from '../talk.js';
import { channelBadge } from './inbox.js';

export async function render(main, ctx) {
  const id = ctx.params.id;
  let conv;
  try {
    conv = await api.get(`/inbox/conversations/${id}`);
  } catch (error) {
    if (error.status === 404) return mount(main, h('h1', { tabindex: -1 }, t('talk.notFound')));
    throw error;
  }
  const list = h('ol', { class: 'messages', 'aria-label': t('talk.messages') });
  const announce = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const head = h('div');
  let statuses = new Map();

  async function drawMessages() {
    const [page, deliveries] = await Promise.all([api.get(`/conversations/${id}/messages?limit=100`), api.get(`/inbox/conversations/${id}/deliveries`)]);
    statuses = new Map(deliveries.items.map((d) => [d.message_id, d]));
    seen(id, page.last_seq);
    mount(list, page.items.map((m) => {
      const mine = m.author_id !== conv.contact.id;
      const d = statuses.get(m.id);
      return h('li', { class: mine ? 'message mine' : 'message', id: `m-${m.id}` },
        h('div', { class: 'meta muted small' }, m.author_name, ' · ', h('time', { datetime: m.created_at }, formatDateTime(m.created_at))),
        m.text ? h('p', { class: 'text' }, linkify(m.text, h)) : null,
        m.attachments.map((a) => a.content_type.startsWith('image/')
          ? h('a', { href: `/api/v1/attachments/${a.id}`, target: '_blank', rel: 'noopener' }, h('img', { src: `/api/v1/attachments/${a.id}`, alt: a.name, loading: 'lazy', class: 'attachment-image' }))
          : h('a', { href: `/api/v1/attachments/${a.id}`, download: a.name }, a.name)),
        d ? h('p', { class: `delivery muted small delivery-${d.status}`, title: d.error || '' }, t(`inbox.delivery.${d.status}`)) : null);
    }));
  }

  function drawHead() {
    const status = h('select', { 'aria-label': t('field.status') }, ['open', 'pending', 'resolved'].map((s) => h('option', { value: s, selected: s === conv.status }, t(`inbox.status.${s}`))));
    status.addEventListener('change', () => change({ status: status.value }));
    const labels = h('input', { value: conv.labels.join(', '), maxlength: 800, 'aria-label': t('inbox.labels') });
    const mine = conv.assignee_id === session.me.id;
    mount(head,
      h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, conv.contact.name, ' ', channelBadge(conv.channel_kind)),
        h('a', { href: `/contacts/${conv.contact.id}` }, t('inbox.contact'))),
      h('p', { class: 'muted' }, [conv.contact.phone, conv.assignee_id ? (mine ? t('inbox.assignedToMe') : t('inbox.assigned')) : t('inbox.waiting')]
        .filter(Boolean).join(' · ')),
      h('div', { class: 'inline-form' },
        h('label', {}, t('field.status'), ' ', status),
        mine ? busyButton({ class: 'small' }, t('inbox.release'), () => change({ assignee_id: '' }))
          : busyButton({ class: 'small' }, t('inbox.takeIt'), () => change({ assignee_id: session.me.id })),
        h('label', {}, t('inbox.labels'), ' ', labels),
        busyButton({ class: 'small' }, t('action.save'), () => change({ labels: labels.value.split(',').map((s) => s.trim()).filter(Boolean) }))),
      conv.window_open ? null : h('p', { class: 'notice', role: 'status' }, t('inbox.windowClosed')));
  }

  async function change(body) {
    conv = await api.patch(`/inbox/conversations/${id}`, body);
    drawHead();
    toast(t('inbox.saved'), 'success');
  }

  const summary = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const text = h('textarea', { name: 'text', rows: 3, maxlength: 4096, required: true });
  const form = h('form', { class: 'composer stack' }, summary, field(t('inbox.reply'), text), h('button', { class: 'primary', type: 'submit' }, t('inbox.send')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, summary);
    try {
      await api.create(`/inbox/conversations/${id}/reply`, { text: text.value }, idempotencyKey());
      text.value = '';
      await drawMessages();
    } catch (error) {
      showErrors(form, error, summary);
    }
  });

  let again = null;
  const stop = listen((m) => {
    if (!main.isConnected) return stop();
    if (m.type === 'conversation.event' && m.conversation_id === id) {
      clearTimeout(again);
      again = setTimeout(async () => { await drawMessages(); if (m.kind === 'message.created') announce.textContent = t('talk.newFrom', { name: m.message?.author_name ?? '' }); }, 200);
    }
  });
  addEventListener('tp:leave', () => stop(), { once: true });
  drawHead();
  await drawMessages();
  mount(main, head, h('div', { class: 'conversation' }, list, announce, form));
}
