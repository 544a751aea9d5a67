// Inbox channels (tenant admins): connect a WhatsApp Cloud API number (its secrets sealed and never
// shown again) or the tenant's Telegram bot; the callback URL for Meta's settings; test the
// connection; each channel's agents with their capacity.
import { api, idempotencyKey } from '../api.js';
import { busyButton, clearErrors, field, formValues, h, mount, showErrors, toast } from '../dom.js';
import { language, t } from '../i18n.js';
import { channelBadge } from './inbox.js';

/** Seconds as the reader says them: 40 s, 12 min, 3.5 h. */
function duration(seconds) {
  if (seconds == null) return '—';
  const [value, unit] = seconds < 90 ? [seconds, 'second'] : seconds < 5400 ? [seconds / 60, 'minute'] : [seconds / 3600, 'hour'];
  return new Intl.NumberFormat(language(), { style: 'unit', unit, maximumFractionDigits: unit === 'hour' ? 1 : 0 }).format(value);
}

function measuresTable(rows, label) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, [label, t('inbox.openNow'), t('inbox.started'), t('inbox.resolvedCount'), t('inbox.firstResponse'), t('inbox.resolution')]
      .map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, h('td', {}, r.name), h('td', {}, r.waiting != null ? t('inbox.openWaiting', { open: r.open, waiting: r.waiting }) : String(r.open)),
      h('td', {}, String(r.figures.started)), h('td', {}, String(r.figures.resolved)),
      h('td', {}, duration(r.figures.first_response_median)), h('td', {}, duration(r.figures.resolution_median)))))));
}

export async function render(main) {
  const [channels, businesses, users, measures] = await Promise.all([api.get('/inbox/channels'), api.get('/businesses?limit=200'), api.get('/users?limit=200'),
    api.get('/inbox/measures')]);
  const names = new Map(businesses.items.map((b) => [b.id, b.name]));
  const agentsBox = h('section', { 'aria-live': 'polite' });

  async function showAgents(c) {
    const agents = (await api.get(`/inbox/channels/${c.id}/agents`)).items;
    const user = h('select', { name: 'user_id', required: true }, users.items.map((u) => h('option', { value: u.id }, `${u.name} (${u.email})`)));
    const capacity = h('input', { name: 'capacity', type: 'number', min: 1, max: 1000, value: 5, required: true });
    const summary = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const form = h('form', { class: 'inline-form' }, summary, field(t('inbox.agent'), user), field(t('inbox.capacity'), capacity),
      h('button', { class: 'primary', type: 'submit' }, t('inbox.addAgent')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form, summary);
      try {
        await api.put(`/inbox/channels/${c.id}/agents/${user.value}`, { capacity: Number(capacity.value) });
        showAgents(c);
      } catch (error) { showErrors(form, error, summary); }
    });
    mount(agentsBox, h('h2', {}, t('inbox.agentsOf', { name: c.name })),
      agents.length ? h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, [t('inbox.agent'), t('inbox.capacity'), t('inbox.openNow'), t('inbox.availability'), ''].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, agents.map((a) => h('tr', {}, h('td', {}, a.name), h('td', {}, String(a.capacity)), h('td', {}, String(a.open)),
          h('td', {}, t(`inbox.availability.${a.availability}`)),
          h('td', {}, busyButton({ class: 'small danger' }, t('action.remove'), async () => { await api.del(`/inbox/channels/${c.id}/agents/${a.user_id}`); showAgents(c); })))))))
        : h('p', { class: 'empty' }, t('inbox.noAgents')), form);
  }

  async function showRules(c) {
    const rules = (await api.get(`/inbox/channels/${c.id}/rules`)).items;
    const summary = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const kind = h('select', { name: 'kind' }, ['greeting', 'keyword', 'away'].map((k) => h('option', { value: k }, t(`inbox.rule.${k}`))));
    const days = h('fieldset', { class: 'checks' }, h('legend', {}, t('inbox.days')),
      [1, 2, 3, 4, 5, 6, 7].map((d) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'day', value: d, checked: d <= 5 }), ` ${t(`inbox.day.${d}`)}`)));
    const awayFields = h('div', { class: 'stack', hidden: true },
      field(t('notify.timeZone'), h('input', { name: 'time_zone', value: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', maxlength: 64 })),
      days, h('div', { class: 'inline-form' }, field(t('inbox.opens'), h('input', { name: 'open', type: 'time', value: '09:00' })),
        field(t('inbox.closes'), h('input', { name: 'close', type: 'time', value: '18:00' }))));
    const keywordFields = h('div', { class: 'stack', hidden: true },
      field(t('inbox.keywords'), h('input', { name: 'keywords', maxlength: 2000 }), t('inbox.keywordsHint')));
    kind.addEventListener('change', () => { awayFields.hidden = kind.value !== 'away'; keywordFields.hidden = kind.value !== 'keyword'; });
    const form = h('form', { class: 'stack' }, summary, field(t('inbox.ruleKind'), kind), keywordFields, awayFields,
      ['en', 'uk', 'ru'].map((l) => field(t('inbox.replyIn', { language: t(`contacts.lang.${l}`) }), h('textarea', { name: `reply_${l}`, rows: 2, maxlength: 1000 }))),
      h('button', { class: 'primary', type: 'submit' }, t('inbox.addRule')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form, summary);
      const v = formValues(form);
      const body = { kind: v.kind, replies: Object.fromEntries(['en', 'uk', 'ru'].filter((l) => v[`reply_${l}`]).map((l) => [l, v[`reply_${l}`]])) };
      if (v.kind === 'keyword') body.keywords = (v.keywords ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      if (v.kind === 'away') {
        body.time_zone = v.time_zone;
        body.hours = [...form.querySelectorAll('input[name=day]:checked')].map((d) => ({ day: Number(d.value), open: v.open, close: v.close }));
      }
      try {
        await api.create(`/inbox/channels/${c.id}/rules`, body, idempotencyKey());
        showRules(c);
      } catch (error) { showErrors(form, error, summary); }
    });
    mount(agentsBox, h('h2', {}, t('inbox.rulesOf', { name: c.name })), h('p', { class: 'hint' }, t('inbox.rulesHelp')),
      rules.length ? h('ul', { class: 'stack' }, rules.map((r) => h('li', {},
        h('strong', {}, t(`inbox.rule.${r.kind}`)), r.keywords.length ? ` · ${r.keywords.join(', ')}` : '',
        r.hours ? ` · ${r.time_zone} ${r.hours.map((x) => `${t(`inbox.day.${x.day}`)} ${x.open}–${x.close}`).join(', ')}` : '',
        h('div', { class: 'muted' }, Object.values(r.replies)[0] ?? ''),
        busyButton({ class: 'small' }, r.enabled ? t('webhooks.disable') : t('webhooks.enable'), async () => {
          await api.patch(`/inbox/rules/${r.id}`, { enabled: !r.enabled });
          showRules(c);
        }),
        busyButton({ class: 'small danger' }, t('action.delete'), async () => { await api.del(`/inbox/rules/${r.id}`); showRules(c); })))) 
        : h('p', { class: 'empty' }, t('inbox.noRules')), form);
  }

  const table = channels.items.length ? h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, [t('inbox.channel'), t('inbox.business'), t('inbox.webhook'), ''].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, channels.items.map((c) => h('tr', {},
      h('td', {}, h('strong', {}, c.name), ' ', channelBadge(c.kind), c.display_phone ? h('div', { class: 'muted' }, c.display_phone) : null,
        c.enabled ? null : h('div', { class: 'muted' }, t('inbox.disabled'))),
      h('td', {}, names.get(c.business_id) ?? ''),
      h('td', {}, c.webhook_url ? h('code', { class: 'small' }, c.webhook_url) : t('inbox.telegramHook')),
      h('td', { class: 'nowrap' },
        busyButton({ class: 'small' }, t('inbox.test'), async () => {
          const r = await api.post(`/inbox/channels/${c.id}/test`);
          toast(r.ok ? t('inbox.testOk', { detail: r.detail }) : t('inbox.testFailed', { detail: r.detail }), r.ok ? 'success' : 'error');
        }),
        busyButton({ class: 'small' }, t('inbox.agents'), () => showAgents(c)),
        busyButton({ class: 'small' }, t('inbox.rules'), () => showRules(c)),
        busyButton({ class: 'small' }, c.enabled ? t('webhooks.disable') : t('webhooks.enable'), async () => {
          await api.patch(`/inbox/channels/${c.id}`, { enabled: !c.enabled });
          render(main);
        }))))))) : h('p', { class: 'empty' }, t('inbox.noChannels'));

  const summary = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const kind = h('select', { name: 'kind' }, ['whatsapp', 'telegram'].map((k) => h('option', { value: k }, t(`inbox.kind.${k}`))));
  const whatsappFields = h('div', { class: 'stack' },
    field(t('inbox.phoneNumberId'), h('input', { name: 'phone_number_id', inputmode: 'numeric', maxlength: 64 })),
    field(t('inbox.displayPhone'), h('input', { name: 'display_phone', maxlength: 32, placeholder: '+380 44 000 00 00' })),
    field(t('inbox.accessToken'), h('input', { name: 'access_token', type: 'password', autocomplete: 'off', maxlength: 1000 })),
    field(t('inbox.appSecret'), h('input', { name: 'app_secret', type: 'password', autocomplete: 'off', maxlength: 1000 })),
    field(t('inbox.verifyToken'), h('input', { name: 'verify_token', autocomplete: 'off', maxlength: 1000 }), t('inbox.verifyTokenHint')));
  kind.addEventListener('change', () => { whatsappFields.hidden = kind.value !== 'whatsapp'; });
  const form = h('form', { class: 'stack' }, summary, field(t('inbox.kind'), kind),
    field(t('field.name'), h('input', { name: 'name', required: true, maxlength: 100 })),
    field(t('inbox.business'), h('select', { name: 'business_id', required: true }, businesses.items.map((b) => h('option', { value: b.id }, b.name))), t('inbox.businessHint')),
    whatsappFields, h('button', { class: 'primary', type: 'submit' }, t('inbox.connect')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, summary);
    const values = formValues(form);
    if (values.kind === 'telegram') for (const k of ['phone_number_id', 'display_phone', 'access_token', 'app_secret', 'verify_token']) delete values[k];
    try {
      await api.create('/inbox/channels', values, idempotencyKey());
      toast(t('inbox.connected'), 'success');
      render(main);
    } catch (error) { showErrors(form, error, summary); }
  });
  mount(main, h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('inbox.channels'))), h('p', { class: 'hint' }, t('inbox.channelsHelp')),
    table, agentsBox,
    h('h2', {}, t('inbox.measures')), h('p', { class: 'hint' }, t('inbox.measuresHint')),
    measures.channels.length ? measuresTable(measures.channels, t('inbox.channel')) : null,
    measures.agents.length ? measuresTable(measures.agents, t('inbox.agent')) : null,
    h('h2', {}, t('inbox.connect')), form);
}
