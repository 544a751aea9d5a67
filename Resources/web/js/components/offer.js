// Offer cards and the offer composer: a negotiation's revision as a card with its lines, totals,
// terms and what changed from the revision before; accept, decline and counter on the latest one.
import { api, idempotencyKey } from '../api.js';
import { field, formValues, h, mount, openDialog, showErrors, toast } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { money } from '../catalog-util.js';

/** The card of `revision` (in `negotiation`) as seen by someone on `mySide` ('buyer'|'seller'|null). */
export function offerCard(revision, mySide, changed) {
  const state = revision.expires_at && revision.state === 'open' && new Date(revision.expires_at) <= new Date() ? 'expired' : revision.state;
  const rows = revision.lines.map((l) => h('tr', {},
    h('td', { class: 'nowrap' }, l.sku), h('td', {}, l.name), h('td', { class: 'nowrap' }, String(l.quantity)),
    h('td', { class: 'nowrap' }, l.unit_price ? money(l.unit_price) : '—'), h('td', { class: 'nowrap' }, l.gross ? money(l.gross) : '—')));
  const changes = (revision.changes || []).map((c) => h('li', {}, describeChange(c)));
  const actions = h('div', { class: 'offer-actions' });
  const open = state === 'open';
  if (open && mySide && revision.side !== mySide) {
    if (revision.kind === 'offer') {
      actions.append(h('button', { type: 'button', class: 'primary small', onclick: () => decide('accept') }, t('offer.accept')));
    }
    actions.append(h('button', { type: 'button', class: 'small', onclick: () => decide('decline') }, t('offer.decline')));
  }
  if ((open || state === 'expired') && mySide) {
    actions.append(h('button', { type: 'button', class: 'small', onclick: () => counter() }, revision.side === mySide ? t('offer.revise') : t('offer.counter')));
  }
  async function decide(act) {
    let reason;
    if (act === 'decline') {
      reason = await openDialog(t('offer.declineTitle'), (close) => {
        const form = h('form', {}, field(t('offer.reason'), h('textarea', { name: 'reason', maxlength: 500, rows: 3 })),
          h('div', { class: 'dialog-actions' }, h('button', { class: 'primary', type: 'submit' }, t('offer.decline'))));
        form.addEventListener('submit', (e) => { e.preventDefault(); close(form.reason.value); });
        return form;
      });
      if (reason === undefined) return;
    }
    try {
      const body = { revision: revision.revision, ...(reason ? { reason } : {}) };
      const n = await api.create(`/negotiations/${revision.negotiation_id}/${act}`, body, idempotencyKey());
      toast(act === 'accept' ? t('offer.accepted') : t('offer.declined'), 'success');
      changed?.(n);
    } catch (error) {
      toast(error.status === 409 && error.body.current_revision ? t('offer.stale', { revision: error.body.current_revision }) : error.message, 'error');
    }
  }
  async function counter() {
    const n = await offerComposer({ title: t('offer.counterTitle', { revision: revision.revision }), start: revision,
      send: (body, key) => api.create(`/negotiations/${revision.negotiation_id}/counter`, { ...body, revision: revision.revision }, key) });
    if (n) changed?.(n);
  }
  return h('article', { class: `offer-card offer-${state}`, 'aria-label': t('offer.cardLabel', { revision: revision.revision }) },
    h('header', {},
      h('strong', {}, revision.kind === 'rfq' ? t('offer.rfq') : t('offer.offer')), ' ',
      h('span', { class: 'muted' }, t('offer.revisionBy', { revision: revision.revision, side: t(`offer.side.${revision.side}`) })), ' ',
      h('span', { class: `badge offer-state-${state}` }, t(`offer.state.${state}`))),
    h('div', { class: 'table-wrap' }, h('table', { class: 'small' },
      h('thead', {}, h('tr', {}, [t('offer.sku'), t('field.name'), t('offer.quantity'), t('offer.unitPrice'), t('trade.gross')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows))),
    revision.gross ? h('p', {}, t('offer.total', { net: money(revision.net), gross: money(revision.gross) })) : null,
    revision.expires_at ? h('p', { class: 'muted' }, t('offer.expires', { at: formatDateTime(revision.expires_at) })) : null,
    revision.delivery_terms ? h('p', {}, t('offer.delivery'), ': ', revision.delivery_terms) : null,
    revision.payment_terms ? h('p', {}, t('offer.payment'), ': ', revision.payment_terms) : null,
    revision.decline_reason ? h('p', { class: 'error-text' }, t('offer.declineReason'), ': ', revision.decline_reason) : null,
    changes.length ? h('details', { open: true }, h('summary', {}, t('offer.changes')), h('ul', { class: 'offer-changes' }, changes)) : null,
    revision.order_id ? h('p', {}, h('a', { href: `/orders/${revision.order_id}` }, t('offer.order'))) : null,
    actions.childNodes.length ? actions : null);
}

function describeChange(c) {
  const what = c.sku ? `${c.sku}: ` : '';
  switch (c.field) {
    case 'added': return what + t('offer.change.added', { after: c.after });
    case 'removed': return what + t('offer.change.removed');
    case 'quantity': return what + t('offer.change.quantity', { before: c.before, after: c.after });
    case 'unit_price': return what + t('offer.change.price', { before: c.before ?? '—', after: c.after ?? '—' });
    default: return t(`offer.change.${c.field}`, { before: c.before ?? '—', after: c.after ?? '—' });
  }
}

/** A dialog to write an offer or a request for quote; `send(body, key)` posts it. Answers the negotiation. */
export function offerComposer({ title, start, send, kind = 'offer' }) {
  return openDialog(title, (close) => {
    const lines = h('tbody', {});
    const addLine = (l = {}) => {
      const row = h('tr', {},
        h('td', {}, h('input', { name: 'sku', value: l.sku || '', required: true, 'aria-label': t('offer.sku'), size: 10 })),
        h('td', {}, h('input', { name: 'quantity', type: 'number', min: 1, value: l.quantity || '', required: true, 'aria-label': t('offer.quantity'), size: 6 })),
        h('td', {}, h('input', { name: 'unit_price', inputmode: 'decimal', value: l.unit_price?.amount || '', 'aria-label': t('offer.unitPrice'), size: 8 })),
        h('td', {}, h('button', { type: 'button', class: 'icon-button', 'aria-label': t('action.remove'), onclick: () => row.remove() }, '×')));
      lines.append(row);
    };
    (start?.lines?.length ? start.lines : [{}]).forEach(addLine);
    const kindSelect = h('select', { name: 'kind' }, h('option', { value: 'offer' }, t('offer.offer')), h('option', { value: 'rfq' }, t('offer.rfq')));
    kindSelect.value = kind;
    const expires = h('input', { name: 'expires_at', type: 'datetime-local' });
    const form = h('form', { novalidate: true },
      h('div', { class: 'form-error', role: 'alert', hidden: true }),
      field(t('offer.kind'), kindSelect),
      h('div', { class: 'table-wrap' }, h('table', { class: 'small' },
        h('thead', {}, h('tr', {}, [t('offer.sku'), t('offer.quantity'), t('offer.unitPrice'), ''].map((c) => h('th', { scope: 'col' }, c)))), lines)),
      h('button', { type: 'button', class: 'small', onclick: () => addLine() }, t('offer.addLine')),
      field(t('offer.expiresAt'), expires),
      field(t('offer.delivery'), h('input', { name: 'delivery_terms', maxlength: 500, value: start?.delivery_terms || '' })),
      field(t('offer.payment'), h('input', { name: 'payment_terms', maxlength: 500, value: start?.payment_terms || '' })),
      field(t('offer.note'), h('textarea', { name: 'note', rows: 2, maxlength: 2000 })),
      h('div', { class: 'dialog-actions' }, h('button', { class: 'primary', type: 'submit' }, t('offer.send'))));
    const key = idempotencyKey();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const values = formValues(form);
      const body = {
        kind: kindSelect.value,
        lines: [...lines.rows].map((r) => ({
          sku: r.querySelector('[name=sku]').value.trim(), quantity: Number(r.querySelector('[name=quantity]').value),
          ...(kindSelect.value === 'offer' ? { unit_price: r.querySelector('[name=unit_price]').value.trim().replace(',', '.') } : {}),
        })),
      };
      if (expires.value) body.expires_at = new Date(expires.value).toISOString();
      for (const name of ['delivery_terms', 'payment_terms', 'note']) if (values[name]) body[name] = values[name];
      try {
        close(await send(body, key));
      } catch (error) {
        showErrors(form, error, form.querySelector('.form-error'));
      }
    });
    return form;
  });
}
