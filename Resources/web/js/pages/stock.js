// A selling business's stock: its warehouses, what each holds of each product (on hand, reserved,
// available, incoming, low-stock thresholds), movements recorded by hand, and the ledger.
import { api, idempotencyKey, query, request } from '../api.js';
import { field, h, mount, openDialog, showErrors, toast } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n.js';
import { pager } from '../pager.js';
import { warehousesPanel } from '../components/warehouses.js';

const KINDS = ['receipt', 'incoming', 'adjustment', 'transfer', 'write_off'];

export async function render(main, ctx) {
  const id = ctx.params.id;
  const business = await api.get(`/businesses/${id}`);
  let warehouses = (await api.get(`/businesses/${id}/warehouses`)).items;
  const which = h('select', { 'aria-label': t('warehouse.filter') });
  const lowOnly = h('input', { type: 'checkbox' });
  const levelsBox = h('div', { class: 'table-wrap' });
  const ledgerBox = h('div', { class: 'table-wrap' });
  const moreLevels = h('button', { type: 'button', hidden: true }, t('action.loadMore'));
  const moreLedger = h('button', { type: 'button', hidden: true }, t('action.loadMore'));
  const names = () => Object.fromEntries(warehouses.map((w) => [w.id, w.name]));

  function fillFilter() {
    const chosen = which.value;
    mount(which, h('option', { value: '' }, t('warehouse.all')), warehouses.map((w) => h('option', { value: w.id }, w.name)));
    which.value = warehouses.some((w) => w.id === chosen) ? chosen : '';
  }

  const levels = pager((cursor) => api.get(`/businesses/${id}/stock${query({ warehouse_id: which.value, low: lowOnly.checked ? 'true' : '', cursor })}`),
    (rows) => mount(levelsBox, rows.length ? h('table', {},
      h('thead', {}, h('tr', {}, [t('product.sku'), t('stock.product'), t('stock.warehouse'), t('stock.onHand'), t('stock.reserved'),
        t('stock.available'), t('stock.incoming'), t('stock.threshold'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((l) => h('tr', { class: l.low ? 'warning' : '' },
        h('td', { class: 'text' }, l.sku),
        h('td', { class: 'text' }, h('a', { href: `/products/${l.product_id}` }, l.product_name)),
        h('td', { class: 'text' }, l.warehouse_name),
        h('td', {}, formatNumber(l.on_hand)), h('td', {}, formatNumber(l.reserved)),
        h('td', {}, h('strong', {}, formatNumber(l.available)), l.low ? h('span', { class: 'badge warning' }, t('stock.low')) : null),
        h('td', {}, formatNumber(l.incoming)),
        h('td', {}, l.low_threshold == null ? '—' : formatNumber(l.low_threshold)),
        h('td', { class: 'actions' },
          h('button', { type: 'button', class: 'small', 'aria-label': `${t('stock.setThreshold')} ${l.sku} ${l.warehouse_name}`,
            onclick: () => threshold(l, reload) }, t('stock.setThreshold')))))))
      : h('p', { class: 'empty' }, t('stock.none'))), moreLevels);

  const ledger = pager((cursor) => api.get(`/businesses/${id}/stock/movements${query({ warehouse_id: which.value, cursor })}`),
    (rows) => mount(ledgerBox, rows.length ? h('table', {},
      h('thead', {}, h('tr', {}, [t('audit.when'), t('product.sku'), t('stock.warehouse'), t('stock.kind'), t('stock.onHand'),
        t('stock.reserved'), t('stock.incoming'), t('stock.reason'), t('audit.actor')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((m) => h('tr', {},
        h('td', { class: 'nowrap' }, formatDateTime(m.at)),
        h('td', { class: 'text' }, m.sku),
        h('td', { class: 'text' }, names()[m.warehouse_id] || '—'),
        h('td', {}, t(`stockKind.${m.kind}`)),
        h('td', {}, signed(m.on_hand_delta)), h('td', {}, signed(m.reserved_delta)), h('td', {}, signed(m.incoming_delta)),
        h('td', { class: 'text small' }, [m.reason, m.document_type ? t(`stockDocument.${m.document_type}`) : null].filter(Boolean).join(' · ') || '—'),
        h('td', { class: 'text small' }, m.actor_label || m.actor)))))
      : h('p', { class: 'empty' }, t('stock.noMovements'))), moreLedger);

  async function reload() { await Promise.all([levels.load(true), ledger.load(true)]); }
  which.addEventListener('change', reload);
  lowOnly.addEventListener('change', () => levels.load(true));
  fillFilter();

  const warehousesSection = await warehousesPanel(id, async () => {
    warehouses = (await api.get(`/businesses/${id}/warehouses`)).items;
    fillFilter();
    await reload();
  });
  mount(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/businesses' }, t('nav.businesses')), ' / ', h('a', { href: `/businesses/${id}` }, business.name)),
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('stock.title')),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => countFile(warehouses, reload) }, t('stockCount.title')),
        h('button', { type: 'button', class: 'primary', onclick: () => movement(id, warehouses, reload) }, t('stock.record')))),
    warehousesSection,
    h('section', { class: 'panel' },
      h('div', { class: 'page-head' }, h('h2', {}, t('stock.levels')),
        h('div', { class: 'filters' }, which, h('label', { class: 'checkbox' }, lowOnly, t('stock.lowOnly')))),
      levelsBox, moreLevels),
    h('section', { class: 'panel' }, h('h2', {}, t('stock.ledger')), h('p', { class: 'muted small' }, t('stock.ledgerHelp')), ledgerBox, moreLedger));
  await reload();
}

function signed(n) { return n > 0 ? `+${formatNumber(n)}` : n < 0 ? `−${formatNumber(-n)}` : '·'; }

/** The dialog that records a receipt, an expected receipt, an adjustment or count, a transfer or a write-off. */
async function movement(businessId, warehouses, reload) {
  const products = (await api.get(`/products?business_id=${businessId}&limit=200`)).items;
  const key = idempotencyKey();
  openDialog(t('stock.record'), (close) => {
    const form = h('form', { novalidate: true });
    const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
    const kind = h('select', { name: 'kind' }, KINDS.map((k) => h('option', { value: k }, t(`stockKind.${k}`))));
    const active = warehouses.filter((w) => w.active);
    const options = () => (active.length ? active : warehouses).map((w) => h('option', { value: w.id }, w.name));
    const counted = h('label', { class: 'checkbox' }, h('input', { type: 'checkbox', name: 'is_count' }), t('stock.isCount'));
    const to = field(t('stock.toWarehouse'), h('select', { name: 'to_warehouse_id' }, options()));
    const sync = () => {
      to.hidden = kind.value !== 'transfer';
      counted.hidden = kind.value !== 'adjustment';
    };
    kind.addEventListener('change', sync);
    mount(form, summary,
      field(t('stock.kind'), kind),
      field(t('stock.product'), h('select', { name: 'product_id' }, products.map((p) => h('option', { value: p.id }, `${p.sku} — ${p.name}`)))),
      field(t('stock.warehouse'), h('select', { name: 'warehouse_id' }, options())),
      to,
      field(t('stock.quantity'), h('input', { name: 'quantity', type: 'number', step: 1, required: true }), t('stock.quantityHint')),
      counted,
      field(t('stock.reason'), h('input', { name: 'reason', maxlength: 500 })),
      h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, t('stock.record'))));
    sync();
    let sending = false;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (sending) return;  // the Idempotency-Key already makes a second send harmless; this spares the request
      sending = true;
      const data = new FormData(form);
      const amount = data.get('quantity') === '' ? undefined : Number(data.get('quantity'));
      const body = { kind: data.get('kind'), product_id: data.get('product_id'), warehouse_id: data.get('warehouse_id'),
        reason: data.get('reason') || undefined };
      if (body.kind === 'transfer') body.to_warehouse_id = data.get('to_warehouse_id');
      if (body.kind === 'adjustment' && data.get('is_count') === 'on') body.counted = amount; else body.quantity = amount;
      try {
        await api.create(`/businesses/${businessId}/stock/movements`, body, key);
        close();
        toast(t('stock.recorded'), 'success');
        await reload();
      } catch (error) { showErrors(form, error, summary); } finally { sending = false; }
    });
    return form;
  });
}

function threshold(level, reload) {
  openDialog(`${t('stock.setThreshold')}: ${level.sku} — ${level.warehouse_name}`, (close) => {
    const form = h('form', { novalidate: true });
    const summary = h('div', { class: 'error-summary', role: 'alert', hidden: true });
    mount(form, summary,
      field(t('stock.threshold'), h('input', { name: 'low_threshold', type: 'number', min: 0, step: 1, value: level.low_threshold ?? '' }),
        t('stock.thresholdHint')),
      h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, t('action.save'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const value = new FormData(form).get('low_threshold');
      try {
        await api.put(`/warehouses/${level.warehouse_id}/stock/${level.product_id}/threshold`, { low_threshold: value === '' ? null : Number(value) });
        close();
        toast(t('stock.thresholdSaved'), 'success');
        await reload();
      } catch (error) { showErrors(form, error, summary); }
    });
    return form;
  });
}

/** A stock count from a CSV file for one warehouse: checked first (every bad row listed), then applied. */
function countFile(warehouses, reload) {
  openDialog(t('stockCount.title'), (close) => {
    const form = h('form', { novalidate: true });
    const result = h('div', { role: 'status', 'aria-live': 'polite' });
    const warehouse = h('select', { name: 'warehouse' }, warehouses.map((w) => h('option', { value: w.id }, w.name)));
    const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true });
    const apply = h('button', { type: 'button', class: 'primary', hidden: true }, t('stockCount.apply'));
    let key = idempotencyKey();
    const send = async (dryRun) => {
      if (!file.files[0]) { mount(result, h('p', { class: 'notice error' }, t('stockCount.chooseFile'))); return null; }
      const path = `/warehouses/${warehouse.value}/stock/counts?dry_run=${dryRun}`;
      return request('POST', path, undefined, file.files[0], dryRun ? {} : { 'Idempotency-Key': key });
    };
    const show = (report) => mount(result,
      h('p', { class: report.failed ? 'notice error' : 'notice success' }, t(report.applied ? 'stockCount.applied' : 'stockCount.checked', report)),
      report.issues.length ? h('ul', { class: 'issues' }, report.issues.map((i) => h('li', {}, `${t('import.line')} ${i.line}${i.sku ? ` (${i.sku})` : ''}: ${i.field ? `${i.field} ` : ''}${i.message}`))) : null);
    for (const input of [warehouse, file]) input.addEventListener('change', () => { apply.hidden = true; key = idempotencyKey(); mount(result); });
    const check = h('button', { type: 'submit' }, t('stockCount.check'));
    apply.addEventListener('click', async () => {
      apply.disabled = true;
      try {
        const report = await send(false);
        if (report) show(report);
        if (report?.applied) { toast(t('stockCount.appliedToast'), 'success'); close(); await reload(); }
      } catch (error) { mount(result, h('p', { class: 'notice error' }, error.message)); } finally { apply.disabled = false; }
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const report = await send(true);
        if (!report) return;
        show(report);
        apply.hidden = report.failed > 0 || report.changed === 0;
      } catch (error) { mount(result, h('p', { class: 'notice error' }, error.message)); }
    });
    mount(form, h('p', { class: 'muted small' }, t('stockCount.help')),
      field(t('stock.warehouse'), warehouse), field(t('stockCount.file'), file), result,
      h('div', { class: 'actions' }, check, apply));
    return form;
  });
}
