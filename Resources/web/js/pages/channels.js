// The tenant's mail relay (tenant admins): host, port, STARTTLS or TLS, the sign-in (the password
// is kept sealed and never shown again), the sender; "send a test"; and every delivery's status.
import { api } from '../api.js';
import { busyButton, clearErrors, field, formValues, h, mount, showErrors, toast } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';

export async function render(main) {
  const current = (await api.get('/channels/email')).settings ?? null;
  const summary = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const result = h('p', { role: 'status' });
  const form = h('form', { class: 'stack' }, summary,
    h('div', { class: 'inline-form' },
      field(t('channels.host'), h('input', { name: 'host', required: true, value: current?.host ?? '', placeholder: 'smtp.example.com' })),
      field(t('channels.port'), h('input', { name: 'port', type: 'number', min: 1, max: 65535, required: true, value: current?.port ?? 587 })),
      field(t('channels.security'), h('select', { name: 'security' }, ['starttls', 'tls', 'none'].map((s) => h('option', { value: s, selected: s === (current?.security ?? 'starttls') }, t(`channels.security.${s}`)))))),
    h('div', { class: 'inline-form' },
      field(t('channels.username'), h('input', { name: 'username', value: current?.username ?? '', autocomplete: 'off' })),
      field(t('channels.password'), h('input', { name: 'password', type: 'password', autocomplete: 'new-password' }),
        current?.has_password ? t('channels.passwordKept') : null)),
    h('div', { class: 'inline-form' },
      field(t('channels.fromEmail'), h('input', { name: 'from_email', type: 'email', required: true, value: current?.from_email ?? '' })),
      field(t('channels.fromName'), h('input', { name: 'from_name', value: current?.from_name ?? '' }))),
    h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, t('action.save')),
      current ? busyButton({}, t('channels.test'), async () => {
        const r = await api.post('/channels/email/test', {});
        result.textContent = `${r.ok ? '✓' : '✗'} ${r.detail}`;
      }) : null),
    result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, summary);
    const v = formValues(form);
    const body = { host: v.host ?? '', port: Number(v.port), security: v.security, username: v.username ?? '', from_email: v.from_email ?? '', from_name: v.from_name ?? '' };
    if (v.password) body.password = v.password;
    try {
      await api.put('/channels/email', body);
      toast(t('channels.saved'), 'success');
      render(main);
    } catch (error) {
      showErrors(form, error, summary);
    }
  });

  const deliveries = (await api.get('/notifications/deliveries?limit=50')).items;
  const log = deliveries.length ? h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, [t('channels.channel'), t('field.status'), t('channels.attempts'), t('channels.error'), t('channels.when')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, deliveries.map((d) => h('tr', {}, h('td', {}, t(`notify.channel.${d.channel}`)), h('td', {}, t(`channels.status.${d.status}`)),
      h('td', {}, String(d.attempts)), h('td', { class: 'muted' }, d.last_error ?? ''), h('td', { class: 'nowrap' }, formatDateTime(d.sent_at ?? d.created_at))))))) 
    : h('p', { class: 'empty' }, t('channels.noDeliveries'));

  mount(main, h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('nav.channels'))), h('p', { class: 'hint' }, t('channels.help')),
    h('h2', {}, t('channels.email')), form, h('h2', {}, 'SMS'), await smsSection(main), h('h2', {}, 'Telegram'), await telegramSection(main), h('h2', {}, t('channels.deliveries')), log);
}

/** The SMS gateway: a generic HTTP gateway or Twilio's API; the secret kept sealed. */
async function smsSection(main) {
  const current = (await api.get('/channels/sms')).settings ?? null;
  const summary = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const result = h('p', { role: 'status' });
  const form = h('form', { class: 'stack' }, summary,
    h('div', { class: 'inline-form' },
      field(t('sms.provider'), h('select', { name: 'provider' }, ['generic', 'twilio'].map((p) => h('option', { value: p, selected: p === (current?.provider ?? 'generic') }, t(`sms.provider.${p}`))))),
      field(t('sms.url'), h('input', { name: 'url', required: true, value: current?.url ?? '', placeholder: 'https://sms.example.com/send' })),
      field(t('sms.from'), h('input', { name: 'from', required: true, maxlength: 20, value: current?.from ?? '' }))),
    field(t('sms.template'), h('textarea', { name: 'body_template', rows: 2, maxlength: 4000 }, current?.body_template ?? '{"to": "{to}", "text": "{text}", "from": "{from}"}'),
      [t('sms.templateHint'), ' ', h('code', { dataset: { literal: '' } }, '{to} {text} {from} {encoding} {segments}')]),
    h('div', { class: 'inline-form' },
      field(t('sms.authHeader'), h('input', { name: 'auth_header', value: current?.auth_header ?? '', placeholder: 'Authorization' })),
      field(t('sms.secret'), h('input', { name: 'secret', type: 'password', autocomplete: 'new-password' }), current?.has_secret ? t('channels.passwordKept') : null),
      field(t('sms.maxSegments'), h('input', { name: 'max_segments', type: 'number', min: 1, max: 10, value: current?.max_segments ?? 3 }))),
    h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, t('action.save')),
      current ? h('input', { name: 'test_to', type: 'tel', placeholder: '+380501234567', 'aria-label': t('sms.testTo') }) : null,
      current ? busyButton({}, t('sms.test'), async () => {
        const r = await api.post('/channels/sms/test', { to: form.elements.test_to.value.trim() });
        result.textContent = `${r.ok ? '✓' : '✗'} ${r.detail}`;
      }) : null),
    result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, summary);
    const v = formValues(form);
    const body = { provider: v.provider, url: v.url ?? '', from: v.from ?? '', body_template: v.body_template ?? '', auth_header: v.auth_header ?? '',
      max_segments: Number(v.max_segments || 3) };
    if (v.secret) body.secret = v.secret;
    try {
      await api.put('/channels/sms', body);
      toast(t('channels.saved'), 'success');
      render(main);
    } catch (error) {
      showErrors(form, error, summary);
    }
  });
  return form;
}

/** The tenant's bot: connected with a BotFather token (kept sealed), or disconnected. */
async function telegramSection(main) {
  const bot = (await api.get('/channels/telegram')).bot ?? null;
  if (bot) {
    return h('div', {}, h('p', {}, t('channels.telegramConnected', { bot: `@${bot.bot_username}` })),
      busyButton({}, t('channels.telegramDisconnect'), async () => { await api.del('/channels/telegram'); render(main); }));
  }
  const summary = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'inline-form' }, summary,
    field(t('channels.telegramToken'), h('input', { name: 'token', required: true, autocomplete: 'off', placeholder: '123456789:AA…' }), t('channels.telegramHelp')),
    h('button', { class: 'primary', type: 'submit' }, t('channels.telegramConnect')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, summary);
    try {
      await api.put('/channels/telegram', { token: form.elements.token.value.trim() });
      toast(t('channels.saved'), 'success');
      render(main);
    } catch (error) {
      showErrors(form, error, summary);
    }
  });
  return form;
}
