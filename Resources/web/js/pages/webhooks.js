// Outbound webhooks (tenant admins): endpoints with the events they want; the signing secret shown
// once; enable, rotate, test, delete; each endpoint's delivery log with its attempts, and replay.
import { api, idempotencyKey } from '../api.js';
import { busyButton, clearErrors, field, formValues, h, mount, openDialog, revealSecret, showErrors, toast } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';

export async function render(main) {
  const [endpoints, types] = await Promise.all([api.get('/webhooks'), api.get('/webhooks/event-types')]);
  const log = h('section', { 'aria-live': 'polite' });
  const table = endpoints.items.length ? h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, [t('webhooks.url'), t('webhooks.events'), t('field.status'), ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, endpoints.items.map((e) => h('tr', {},
      h('td', {}, h('strong', {}, e.url), e.description ? h('div', { class: 'muted' }, e.description) : null),
      h('td', {}, e.event_types.length ? e.event_types.join(', ') : t('webhooks.allEvents')),
      h('td', {}, h('span', { class: 'badge' }, e.enabled ? t('webhooks.enabled') : t('webhooks.disabled')),
        e.disabled_reason ? h('div', { class: 'muted' }, e.disabled_reason) : null),
      h('td', { class: 'nowrap' },
        busyButton({ class: 'small' }, t('webhooks.log'), () => showLog(e)),
        busyButton({ class: 'small' }, t('webhooks.test'), async () => { await api.post(`/webhooks/${e.id}/test`); toast(t('webhooks.testQueued'), 'success'); showLog(e); }),
        busyButton({ class: 'small' }, e.enabled ? t('webhooks.disable') : t('webhooks.enable'), async () => {
          await api.patch(`/webhooks/${e.id}`, { enabled: !e.enabled });
          render(main);
        }),
        busyButton({ class: 'small' }, t('webhooks.rotate'), async () => {
          const rotated = await api.post(`/webhooks/${e.id}/rotate-secret`, { grace_seconds: 86400 });
          await openDialog(t('webhooks.rotate'), (close) => {
            const form = h('form');
            revealSecret(form, t('webhooks.rotatedIntro'), [[t('webhooks.secret'), rotated.secret]], close);
            return form;
          });
        }),
        busyButton({ class: 'small danger' }, t('action.delete'), async () => {
          const sure = await openDialog(t('webhooks.deleteTitle'), (close) => h('div', {}, h('p', {}, t('webhooks.deleteConfirm', { url: e.url })),
            h('div', { class: 'dialog-actions' }, h('button', { type: 'button', onclick: () => close(false) }, t('action.cancel')),
              h('button', { type: 'button', class: 'primary danger', onclick: () => close(true) }, t('action.delete')))));
          if (!sure) return;
          await api.del(`/webhooks/${e.id}`);
          render(main);
        }))))))) : h('p', { class: 'empty' }, t('webhooks.none'));

  async function showLog(e) {
    const messages = (await api.get(`/webhooks/${e.id}/messages?limit=50`)).items;
    mount(log, h('h2', {}, t('webhooks.logOf', { url: e.url })),
      messages.length ? h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, [t('webhooks.event'), t('field.status'), t('webhooks.attempts'), t('webhooks.created'), ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, messages.map((m) => h('tr', {},
          h('td', {}, m.event_type, h('div', { class: 'muted small' }, m.id)),
          h('td', {}, t(`webhooks.status.${m.status}`), m.next_attempt_at ? h('div', { class: 'muted small' }, t('webhooks.next', { at: formatDateTime(m.next_attempt_at) })) : null),
          h('td', {}, m.attempts.map((a) => h('div', { class: 'small' }, `${formatDateTime(a.at)} · ${a.status ?? '—'} · ${a.latency_ms} ms · ${a.response.slice(0, 80)}`))),
          h('td', { class: 'nowrap' }, formatDateTime(m.created_at)),
          h('td', {}, busyButton({ class: 'small' }, t('webhooks.replay'), async () => { await api.post(`/webhook-messages/${m.id}/replay`); toast(t('webhooks.replayed'), 'success'); showLog(e); }))))))) 
        : h('p', { class: 'empty' }, t('webhooks.noMessages')));
    log.querySelector('h2')?.scrollIntoView?.({ block: 'nearest' });
  }

  const summary = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'stack' }, summary,
    field(t('webhooks.url'), h('input', { name: 'url', type: 'url', required: true, maxlength: 2000, placeholder: 'https://erp.example.com/hooks/tradepost' })),
    field(t('webhooks.description'), h('input', { name: 'description', maxlength: 500 })),
    h('fieldset', {}, h('legend', {}, t('webhooks.events'), ' ', h('span', { class: 'muted' }, t('webhooks.eventsHint'))),
      h('div', { class: 'checks' }, types.items.map((type) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'event_types', value: type }), ` ${type}`)))),
    h('button', { class: 'primary', type: 'submit' }, t('webhooks.add')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, summary);
    const values = formValues(form);
    const body = { url: values.url, description: values.description ?? '', event_types: [...form.querySelectorAll('input[name=event_types]:checked')].map((c) => c.value) };
    try {
      const created = await api.create('/webhooks', body, idempotencyKey());
      await openDialog(t('webhooks.addedTitle'), (close) => {
        const box = h('form');
        revealSecret(box, t('webhooks.secretIntro'), [[t('webhooks.url'), created.url], [t('webhooks.secret'), created.secret]], close);
        return box;
      });
      render(main);
    } catch (error) {
      showErrors(form, error, summary);
    }
  });

  mount(main, h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('nav.webhooks'))), h('p', { class: 'hint' }, t('webhooks.help')),
    table, log, h('h2', {}, t('webhooks.add')), form);
}
