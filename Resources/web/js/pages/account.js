import { api } from '../api.js';
import { busyButton, clearErrors, field, formValues, h, mount, openDialog, revealSecret, showErrors, toast } from '../dom.js';
import { formatDateTime, language, languages, setLanguage, t } from '../i18n.js';
import { session } from '../session.js';
import { describeUserAgent } from '../user-agent.js';

export async function render(main) {
  const me = session.me;
  const sessionsBox = h('div', { class: 'table-wrap' });
  const tokensBox = h('div', { class: 'table-wrap' });
  mount(main,
    h('h1', { tabindex: -1 }, t('account.title')),
    h('div', { class: 'grid-2' },
      me.kind === 'tenant_user' ? profileSection() : null,
      passwordSection()),
    me.kind === 'tenant_user' ? await telegramSection() : null,
    h('section', { class: 'panel', 'aria-labelledby': 'sessions-title' },
      h('h2', { id: 'sessions-title' }, t('account.sessions')),
      h('p', { class: 'muted' }, t('account.sessionsHint')),
      sessionsBox),
    session.can('account.tokens') ? h('section', { class: 'panel', 'aria-labelledby': 'tokens-title' },
      h('div', { class: 'panel-head' },
        h('h2', { id: 'tokens-title' }, t('account.tokens')),
        h('button', { class: 'primary', type: 'button', onclick: () => createToken(() => loadTokens(tokensBox)) }, t('account.newToken'))),
      h('p', { class: 'muted' }, t('account.tokensHint')),
      tokensBox) : null);
  await Promise.all([loadSessions(sessionsBox), session.can('account.tokens') ? loadTokens(tokensBox) : null]);
}

/** Linking the user's Telegram account: a one-time deep link opens the bot, which links whoever presses Start. */
async function telegramSection() {
  const box = h('div');
  const draw = async () => {
    const link = await api.get('/me/telegram');
    if (!link.bot_username) return mount(box, h('p', { class: 'muted' }, t('account.telegramNoBot')));
    if (link.linked) {
      return mount(box, h('p', {}, t('account.telegramLinked', { username: link.username ? `@${link.username}` : '' })),
        busyButton({}, t('account.telegramUnlink'), async () => { await api.del('/me/telegram'); draw(); }));
    }
    mount(box, h('p', {}, t('account.telegramNone', { bot: `@${link.bot_username}` })),
      busyButton({ class: 'primary' }, t('account.telegramLink'), async () => {
        const code = await api.post('/me/telegram/link');
        mount(box, h('p', {}, t('account.telegramOpen')), h('p', {}, h('a', { href: code.url, target: '_blank', rel: 'noopener' }, code.url)),
          busyButton({}, t('account.telegramDone'), draw));
      }));
  };
  await draw();
  return h('section', { class: 'panel', 'aria-labelledby': 'telegram-title' }, h('h2', { id: 'telegram-title' }, 'Telegram'), box);
}

function profileSection() {
  const me = session.me;
  const summary = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { novalidate: true },
    field(t('field.name'), { name: 'name', value: me.name, required: true, autocomplete: 'name' }),
    field(t('field.language'), h('select', { name: 'locale' },
      languages.map((l) => h('option', { value: l.code, selected: l.code === (me.locale || language()) }, l.name)))),
    summary,
    h('button', { class: 'primary', type: 'submit' }, t('action.save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, summary);
    const values = formValues(form, true);
    try {
      const updated = await api.patch('/me', { name: values.name, locale: values.locale });
      session.set({ ...updated, csrf_token: me.csrf_token });
      await setLanguage(values.locale, true);
      toast(t('account.saved'), 'success');
      document.querySelector('.who strong').textContent = updated.name;
    } catch (error) { showErrors(form, error, summary); }
  });
  return h('section', { class: 'panel' }, h('h2', {}, t('account.profile')), form);
}

function passwordSection() {
  const summary = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { novalidate: true },
    field(t('account.currentPassword'), { name: 'current_password', type: 'password', autocomplete: 'current-password', required: true }),
    field(t('account.newPassword'), { name: 'new_password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 },
      t('account.passwordHint')),
    summary,
    h('button', { class: 'primary', type: 'submit' }, t('account.changePassword')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, summary);
    try {
      await api.post('/me/password', formValues(form, true));
      form.reset();
      toast(t('account.passwordChanged'), 'success');
    } catch (error) { showErrors(form, error, summary); }
  });
  return h('section', { class: 'panel' }, h('h2', {}, t('account.password')), form);
}

async function loadSessions(box) {
  const { items } = await api.get('/me/sessions');
  mount(box, h('table', {},
    h('caption', { class: 'visually-hidden' }, t('account.sessions')),
    h('thead', {}, h('tr', {}, [t('account.started'), t('account.lastSeen'), t('account.from'), ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((s) => h('tr', {},
      h('td', {}, formatDateTime(s.created_at), s.current ? h('span', { class: 'badge' }, t('account.thisSession')) : null),
      h('td', {}, formatDateTime(s.last_seen_at)),
      h('td', { class: 'small', title: s.user_agent || '' }, [describeUserAgent(s.user_agent), s.ip].filter(Boolean).join(' · ') || '—'),
      h('td', { class: 'actions' }, s.current ? null : busyButton({ class: 'danger small' }, t('action.revoke'), async () => {
        await api.del(`/me/sessions/${s.id}`);
        toast(t('account.sessionRevoked'), 'success');
        await loadSessions(box);
      })))))));
}

async function loadTokens(box) {
  const { items } = await api.get('/me/tokens');
  if (!items.length) return mount(box, h('p', { class: 'empty' }, t('account.noTokens')));
  mount(box, h('table', {},
    h('thead', {}, h('tr', {}, [t('field.name'), t('account.scopes'), t('account.expires'), t('account.lastUsed'), ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((tok) => h('tr', {},
      h('td', { class: 'text' }, tok.name, h('code', { class: 'small muted' }, ` ${tok.prefix}…`)),
      h('td', {}, tok.scopes.map((s) => t(`scope.${s}`)).join(', ')),
      h('td', {}, formatDateTime(tok.expires_at)),
      h('td', {}, formatDateTime(tok.last_used_at)),
      h('td', { class: 'actions' }, busyButton({ class: 'danger small' }, t('action.revoke'), async () => {
        if (!confirm(t('account.revokeConfirm', { name: tok.name }))) return;
        await api.del(`/me/tokens/${tok.id}`);
        await loadTokens(box);
      })))))));
}

function createToken(reload) {
  const scopes = session.me.role === 'member' ? ['read', 'write'] : ['read', 'write', 'admin'];
  return openDialog(t('account.newToken'), (close) => {
    const summary = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = h('form', { novalidate: true },
      field(t('field.name'), { name: 'name', required: true, placeholder: t('account.tokenNameExample') }),
      h('fieldset', { class: 'field' }, h('legend', {}, t('account.scopes')),
        scopes.map((s) => h('label', { class: 'checkbox' },
          h('input', { type: 'checkbox', name: 'scopes', value: s, checked: s === 'read' }), t(`scope.${s}`)))),
      field(t('account.expiresInDays'), { name: 'expires_in_days', type: 'number', min: 1, max: 366, value: 90, required: true }),
      summary,
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', onclick: () => close() }, t('action.cancel')),
        h('button', { class: 'primary', type: 'submit' }, t('action.create'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form, summary);
      const data = new FormData(form);
      const body = { name: data.get('name') || '', scopes: data.getAll('scopes'), expires_in_days: Number(data.get('expires_in_days')) };
      try {
        const created = await api.post('/me/tokens', body);
        revealSecret(form, t('account.tokenOnce'), [[t('account.tokenSecret'), created.secret]], close);
        reload();
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}
