// The inbox: the caller's conversations, latest activity first, with unread badges that follow the
// live socket; message search (the catalog's ru/uk/en analysis); archived ones on request.
import { api, query } from '../api.js';
import { h, mount } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { pager } from '../pager.js';
import { listen } from '../talk.js';

export async function render(main, ctx) {
  const state = h('select', { 'aria-label': t('talk.show') }, h('option', { value: 'open' }, t('talk.open')), h('option', { value: 'archived' }, t('talk.archived')));
  state.value = ctx.query.get('state') === 'archived' ? 'archived' : 'open';
  const search = h('input', { type: 'search', placeholder: t('talk.search'), 'aria-label': t('talk.search'), value: ctx.query.get('q') || '' });
  const list = h('ul', { class: 'inbox' });
  const hits = h('div', { class: 'search-hits' });
  const more = h('button', { type: 'button', hidden: true }, t('action.loadMore'));
  const { load } = pager((cursor) => api.get(`/conversations${query({ state: state.value, cursor })}`), (rows) => {
    if (!rows.length) return mount(list, h('li', { class: 'empty' }, t('talk.none')));
    mount(list, rows.map((c) => h('li', { class: c.unread ? 'unread' : '' },
      h('a', { href: c.kind === 'channel' ? `/inbox/${c.id}` : `/messages/${c.id}` },
        h('strong', {}, c.title || (c.kind === 'trade' ? `${c.buyer_name} · ${c.seller_name}` : t('talk.direct'))),
        c.unread ? h('span', { class: 'badge unread-badge', 'aria-label': t('talk.unreadCount', { count: c.unread }) }, String(c.unread)) : null,
        h('span', { class: 'preview muted' }, c.preview || ''),
        c.last_message_at ? h('time', { class: 'muted', datetime: c.last_message_at }, formatDateTime(c.last_message_at)) : null))));
  }, more);
  state.addEventListener('change', () => load(true));
  let timer = null;
  async function find() {
    const q = search.value.trim();
    if (!q) return mount(hits);
    const found = (await api.get(`/search/messages${query({ q })}`)).items;
    mount(hits, found.length ? h('ul', { class: 'inbox' }, found.map((hit) => h('li', {},
      h('a', { href: `/messages/${hit.message.conversation_id}#m-${hit.message.id}` },
        h('strong', {}, hit.conversation_title), h('span', { class: 'preview' }, hit.message.text || ''),
        h('time', { class: 'muted' }, formatDateTime(hit.message.created_at)))))) : h('p', { class: 'empty' }, t('talk.noHits')));
  }
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(find, 250); });
  // Anything new in my conversations: the list is read again (at most every half second).
  let again = null;
  const stop = listen((m) => {
    if (!main.isConnected) return stop();
    if (m.type === 'conversation.event' || m.type === 'inbox') { clearTimeout(again); again = setTimeout(() => load(true), 500); }
  });
  addEventListener('tp:leave', () => stop(), { once: true });
  mount(main, h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('nav.messages'))),
    h('div', { class: 'filters' }, search, state), hits, list, more);
  await load(true);
  if (search.value) find();
}
