// The notification centre: the caller's notifications, newest first, new ones arriving live;
// opening one marks it read; "mark all read"; and the caller's settings — which kinds reach them
// on which channel, quiet hours in their time zone, a mail digest, a phone for SMS.
import { api } from '../api.js';
import { busyButton, clearErrors, field, h, mount, showErrors, toast } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { navigate } from '../router.js';
import { listen } from '../talk.js';

const CHANNELS = ['in_app', 'email', 'telegram', 'sms'];

export async function render(main) {
  const list = h('ul', { class: 'notice-list', 'aria-live': 'polite' });
  const more = h('div');
  let items = [];
  let unread = 0;
  let nextBefore = null;

  const announce = () => dispatchEvent(new CustomEvent('tp:notifications-read', { detail: unread }));
  const row = (n) => h('li', { class: n.read_at ? 'notice' : 'notice unread' },
    h('div', { class: 'notice-body' },
      h('p', { class: 'notice-title' }, n.link ? h('a', { href: n.link, onclick: (e) => { e.preventDefault(); open(n); } }, n.title) : n.title),
      h('p', {}, n.body),
      h('p', { class: 'muted small' }, formatDateTime(n.created_at), n.urgent ? h('span', { class: 'badge' }, ` ${t('notify.urgent')}`) : null)),
    n.read_at ? null : busyButton({ class: 'small', 'aria-label': `${t('notify.markRead')}: ${n.title}` }, t('notify.markRead'), () => markRead(n)));
  const draw = () => {
    mount(list, items.length ? items.map(row) : h('li', { class: 'empty' }, t('notify.none')));
    mount(more, nextBefore ? busyButton({}, t('notify.older'), older) : null);
  };

  async function markRead(n) {
    if (n.read_at) return;
    const read = await api.post(`/notifications/${n.id}/read`);
    items = items.map((i) => (i.id === n.id ? read : i));
    unread = Math.max(0, unread - 1);
    announce();
    draw();
  }
  async function open(n) {
    await markRead(n).catch(() => {});
    navigate(n.link);
  }
  async function older() {
    const page = await api.get(`/notifications?before=${nextBefore}`);
    items = items.concat(page.items);
    nextBefore = page.next_before ?? null;
    draw();
  }

  // Listen first, then read: nothing falls between the two (the list drops what it already has).
  const stop = listen((m) => {
    if (m.type !== 'notification' || items.some((i) => i.id === m.notification.id)) return;
    items = [m.notification, ...items];
    if (!m.notification.read_at) unread += 1;
    draw();
  });
  addEventListener('tp:leave', stop, { once: true });
  const page = await api.get('/notifications');
  items = page.items.concat(items.filter((i) => !page.items.some((p) => p.id === i.id))).sort((a, b) => b.id - a.id);
  unread = page.unread;
  nextBefore = page.next_before ?? null;
  draw();

  const readAll = busyButton({}, t('notify.readAll'), async () => {
    await api.post('/notifications/read-all', items.length ? { up_to: items[0].id } : {});
    items = items.map((i) => (i.read_at ? i : { ...i, read_at: new Date().toISOString() }));
    unread = 0;
    announce();
    draw();
  });

  mount(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('notify.title')), readAll),
    list, more,
    h('h2', {}, t('notify.settings')),
    await settingsForm());
}

async function settingsForm() {
  const s = await api.get('/notifications/settings');
  const kinds = [...new Set(s.choices.map((c) => c.kind))];
  const on = new Map(s.choices.map((c) => [`${c.kind}|${c.channel}`, c.enabled]));
  const summary = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const grid = h('div', { class: 'table-wrap' }, h('table', { class: 'choices' },
    h('caption', { class: 'visually-hidden' }, t('notify.choices')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('notify.kind')), CHANNELS.map((c) => h('th', { scope: 'col' }, t(`notify.channel.${c}`))))),
    h('tbody', {}, kinds.map((k) => h('tr', {},
      h('th', { scope: 'row' }, t(`notify.kind.${k}`)),
      CHANNELS.map((c) => h('td', {}, h('input', {
        type: 'checkbox', checked: on.get(`${k}|${c}`), dataset: { kind: k, channel: c },
        'aria-label': `${t(`notify.kind.${k}`)}: ${t(`notify.channel.${c}`)}`,
      }))))))));
  const form = h('form', { class: 'stack' }, summary, h('p', { class: 'muted' }, t(`notify.defaults.${s.defaults_role}`)), grid,
    field(t('notify.timeZone'), h('input', { name: 'time_zone', value: s.time_zone, maxlength: 64 })),
    h('div', { class: 'inline-form' },
      field(t('notify.quietStart'), h('input', { name: 'quiet_start', type: 'time', value: s.quiet_start ?? '' })),
      field(t('notify.quietEnd'), h('input', { name: 'quiet_end', type: 'time', value: s.quiet_end ?? '' }))),
    field(t('notify.digest'), h('select', { name: 'digest' }, ['off', 'hourly', 'daily'].map((d) => h('option', { value: d, selected: d === s.digest }, t(`notify.digest.${d}`))))),
    field(t('notify.phone'), h('input', { name: 'phone', type: 'tel', value: s.phone ?? '', placeholder: '+380501234567' }), t('notify.phoneHint')),
    h('button', { class: 'primary', type: 'submit' }, t('action.save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, summary);
    const choices = [...form.querySelectorAll('input[type=checkbox]')]
      .filter((box) => box.checked !== on.get(`${box.dataset.kind}|${box.dataset.channel}`))
      .map((box) => ({ kind: box.dataset.kind, channel: box.dataset.channel, enabled: box.checked }));
    const value = (name) => form.elements[name].value;
    try {
      const saved = await api.patch('/notifications/settings', {
        choices, time_zone: value('time_zone'), quiet_start: value('quiet_start'), quiet_end: value('quiet_end'), digest: value('digest'), phone: value('phone'),
      });
      for (const c of saved.choices) on.set(`${c.kind}|${c.channel}`, c.enabled);
      toast(t('notify.saved'), 'success');
    } catch (error) {
      showErrors(form, error, summary);
    }
  });
  return form;
}
