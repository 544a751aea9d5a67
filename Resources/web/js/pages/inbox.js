// The shared inbox: customers' conversations from Telegram and WhatsApp on the channels the caller
// works, filtered by channel, status, assignee and label, redrawn as the live socket says something
// changed; and the caller's own availability (online takes waiting conversations at once).
import { api, query } from '../api.js';
import { h, mount } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { pager } from '../pager.js';
import { session } from '../session.js';
import { listen } from '../talk.js';

const STATUSES = ['open', 'pending', 'resolved'];

export function channelBadge(kind) {
  return h('span', { class: `badge channel-${kind}` }, t(`inbox.kind.${kind}`));
}

export async function render(main, ctx) {
  const me = await api.get('/inbox/me');
  const select = (name, label, options, value) => {
    const el = h('select', { name, 'aria-label': label }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
    el.addEventListener('change', () => load(true));
    return el;
  };
  const status = select('status', t('field.status'), [['', t('inbox.allStatuses')], ...STATUSES.map((s) => [s, t(`inbox.status.${s}`)])],
    ctx.query.get('status') ?? 'open');
  const assignee = select('assignee', t('inbox.assignee'), [['', t('inbox.anyone')], ['me', t('inbox.mine')], ['none', t('inbox.queue')]],
    ctx.query.get('assignee') ?? '');
  const label = h('input', { type: 'search', name: 'label', maxlength: 40, placeholder: t('inbox.label'), 'aria-label': t('inbox.label') });
  label.addEventListener('change', () => load(true));
  const availability = h('select', { 'aria-label': t('inbox.availability') },
    ['online', 'busy', 'offline'].map((a) => h('option', { value: a, selected: a === me.availability }, t(`inbox.availability.${a}`))));
  const seats = h('p', { class: 'muted' });
  const showSeats = (s) => mount(seats, s.seats.length ? t('inbox.load', { open: s.seats.reduce((n, x) => n + x.open, 0), capacity: s.seats.reduce((n, x) => n + x.capacity, 0) })
    : t('inbox.notAgent'));
  showSeats(me);
  availability.addEventListener('change', async () => showSeats(await api.patch('/inbox/me', { availability: availability.value })));

  const list = h('ul', { class: 'inbox' });
  const more = h('button', { type: 'button', hidden: true }, t('action.loadMore'));
  const { load } = pager((cursor) => api.get(`/inbox/conversations${query({ status: status.value || undefined, assignee: assignee.value || undefined,
    label: label.value.trim() || undefined, cursor })}`), (rows) => {
    if (!rows.length) return mount(list, h('li', { class: 'empty' }, t('inbox.none')));
    mount(list, rows.map((c) => h('li', { class: c.unread ? 'unread' : '' },
      h('a', { href: `/inbox/${c.id}` },
        h('span', {}, h('strong', {}, c.contact.name), ' ', channelBadge(c.channel_kind), ' ', h('span', { class: 'badge' }, t(`inbox.status.${c.status}`))),
        c.unread ? h('span', { class: 'badge unread-badge', 'aria-label': t('talk.unreadCount', { count: c.unread }) }, String(c.unread)) : h('span'),
        h('span', { class: 'preview muted' }, c.preview || ''),
        h('time', { class: 'muted', datetime: c.last_message_at ?? c.created_at }, formatDateTime(c.last_message_at ?? c.created_at)),
        h('span', { class: 'muted small' }, c.assignee_id ? (c.assignee_id === session.me.id ? t('inbox.assignedToMe') : t('inbox.assigned'))
          : t('inbox.waiting'))))));
  }, more);
  let again = null;
  const stop = listen((m) => {
    if (!main.isConnected) return stop();
    if (m.type === 'conversation.event' || m.type === 'inbox' || m.type === 'notification') { clearTimeout(again); again = setTimeout(() => load(true), 400); }
  });
  addEventListener('tp:leave', () => stop(), { once: true });
  mount(main, h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('nav.inbox')),
    h('div', { class: 'inline-form' }, h('label', {}, t('inbox.availability'), ' ', availability))),
    seats, h('div', { class: 'filters' }, status, assignee, label), list, more,
    session.can('channels.manage') ? h('p', {}, h('a', { href: '/inbox/channels' }, t('inbox.channels'))) : null);
  await load(true);
}
