// The audit trail: who did what, when and from where, newest first, with filters and a check of
// the hash chain. Tenant admins see their tenant's trail; platform admins the platform's.
import { api, query } from '../api.js';
import { busyButton, h, mount } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { pager } from '../pager.js';
import { session } from '../session.js';

const FAMILIES = ['auth.', 'user.', 'admin.', 'tenant.', 'business.', 'product.', 'price_list.', 'buyer_group.', 'category.', 'catalog.',
  's3_key.', 'search.', 'token.', 'stock.', 'warehouse.', 'order.', 'trade_settings.'];

export async function render(main) {
  const base = session.isPlatformAdmin ? '/admin/audit' : '/audit';
  const table = h('div', { class: 'table-wrap' });
  const more = h('button', { type: 'button', hidden: true }, t('action.loadMore'));
  const verdict = h('div', { role: 'status', 'aria-live': 'polite' });
  const action = h('input', { type: 'search', name: 'action', list: 'audit-actions', placeholder: 'auth.login, product.…',
    'aria-label': t('audit.action') });
  const actor = h('input', { type: 'search', name: 'actor', placeholder: t('audit.actor'), 'aria-label': t('audit.actor') });
  const since = h('input', { type: 'date', name: 'since', 'aria-label': t('audit.since') });
  const until = h('input', { type: 'date', name: 'until', 'aria-label': t('audit.until') });
  const { load } = pager((cursor) => api.get(`${base}${query({
    action: action.value.trim(), actor: actor.value.trim(), since: since.value, until: nextDay(until.value), cursor,
  })}`), draw, more);

  function draw(rows) {
    if (!rows.length) return mount(table, h('p', { class: 'empty' }, t('audit.none')));
    mount(table, h('table', { class: 'audit-table' },
      h('thead', {}, h('tr', {}, [t('audit.when'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.from'), t('audit.detail')]
        .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((e) => h('tr', { dataset: { entry: e.id } },
        h('td', { class: 'nowrap' }, formatDateTime(e.at)),
        h('td', { class: 'text', title: e.actor }, e.actor_label || plainActor(e.actor)),
        h('td', {}, h('code', {}, e.action)),
        h('td', { class: 'small text', title: e.target || '' }, e.target_label || shortId(e.target)),
        h('td', { class: 'small' }, e.ip || '—'),
        h('td', { class: 'small text' }, e.detail ? Object.entries(e.detail).map(([k, v]) => `${k}: ${v}`).join(', ') : '—'))))));
  }

  async function verify() {
    const result = await api.get(`${base}/verify`);
    mount(verdict, result.ok
      ? h('p', { class: 'notice success' }, t('audit.verified', { count: result.entries }))
      : h('div', { class: 'notice error' }, h('p', {}, t('audit.tampered')), h('ul', {}, result.problems.map((p) => h('li', {}, p)))));
  }

  let timer;
  for (const input of [action, actor]) input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => load(true), 250); });
  for (const input of [since, until]) input.addEventListener('change', () => load(true));

  mount(main,
    h('div', { class: 'page-head' },
      h('h1', { tabindex: -1 }, t('nav.audit')),
      busyButton({ class: 'secondary' }, t('audit.verify'), verify)),
    h('p', { class: 'muted' }, t('audit.hint')),
    verdict,
    h('datalist', { id: 'audit-actions' }, FAMILIES.map((f) => h('option', { value: f }))),
    h('div', { class: 'filters' }, action, actor,
      h('label', { class: 'inline' }, t('audit.since'), since), h('label', { class: 'inline' }, t('audit.until'), until)),
    table, more);
  await load(true);
}

/** "system", "command line", or a person the trail could not name (shown by a short id). */
function plainActor(actor) {
  if (actor === 'cli') return t('audit.cli');
  if (actor === 'system') return t('audit.system');
  return shortId(actor.split(':').pop());
}

/** An id nobody can name any more, shortened: the full id is in the cell's title. */
function shortId(id) {
  return id ? `#${id.slice(-6)}` : '—';
}

/** The API's `until` is exclusive; a date picked as "until" means through the end of that day. */
function nextDay(value) {
  if (!value) return '';
  const d = new Date(`${value}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
