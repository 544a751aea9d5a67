// Price-list import for a business: upload a CSV, check it (dry run) with a row-by-row report, then
// apply the same upload. Imports run on the server; this page polls one for progress.
import { api, query } from '../api.js';
import { busyButton, field, h, mount, toast } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n.js';

export async function render(main, ctx) {
  const id = ctx.params.id;
  const business = await api.get(`/businesses/${id}`);
  const status = h('div', { class: 'import-status', 'aria-live': 'polite' });
  const history = h('div', { class: 'table-wrap' });
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv,text/plain', required: true });
  const currency = h('input', { name: 'currency', value: 'UAH', maxlength: 3, size: 4, autocomplete: 'off' });
  const newStatus = h('select', { name: 'status' }, ['published', 'draft'].map((s) => h('option', { value: s }, t(`productStatus.${s}`))));
  const encoding = h('select', { name: 'encoding' },
    [['', t('import.auto')], ['utf-8', 'UTF-8'], ['windows-1251', 'Windows-1251']].map(([v, l]) => h('option', { value: v }, l)));
  const delimiter = h('select', { name: 'delimiter' },
    [['', t('import.auto')], [';', ';'], [',', ','], ['tab', t('import.tab')]].map(([v, l]) => h('option', { value: v }, l)));

  const start = async (dryRun) => {
    if (!file.files.length) { toast(t('import.chooseFile'), 'error'); file.focus(); return; }
    const chosen = file.files[0];
    const params = query({ dry_run: dryRun, file_name: chosen.name, currency: currency.value.trim(), status: newStatus.value,
      encoding: encoding.value, delimiter: delimiter.value });
    const item = await api.upload(`/businesses/${id}/imports${params}`, chosen);
    await follow(item);
  };

  /** Polls an import until it finishes, drawing its progress and then its report. */
  let left = false;
  addEventListener('tp:leave', () => { left = true; }, { once: true });
  const follow = async (item) => {
    while (item.state === 'queued' || item.state === 'running') {
      drawProgress(status, item);
      await new Promise((resolve) => setTimeout(resolve, 400));
      if (left || !main.isConnected) return;
      item = await api.get(`/imports/${item.id}`);
    }
    drawReport(status, item, async () => follow(await api.post(`/imports/${item.id}/apply`)));
    await drawHistory(history, id, follow);
  };

  mount(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: `/businesses/${id}` }, business.name)),
    h('h1', { tabindex: -1 }, t('import.title')),
    h('section', { class: 'panel' },
      h('p', { class: 'muted' }, t('import.help')),
      h('form', { onsubmit: (e) => e.preventDefault() },
        field(t('import.file'), file),
        h('div', { class: 'grid-4' },
          field(t('import.currency'), currency), field(t('import.newStatus'), newStatus),
          field(t('import.encoding'), encoding), field(t('import.delimiter'), delimiter)),
        h('div', { class: 'actions' },
          busyButton({ class: 'primary' }, t('import.check'), () => start(true)),
          busyButton({}, t('import.apply'), () => start(false)),
          h('a', { class: 'button', href: `/api/v1/businesses/${id}/products/export`, download: '' }, t('import.export'))))),
    status,
    h('section', { class: 'panel' }, h('h2', {}, t('import.history')), history));
  await drawHistory(history, id, follow);
}

function drawProgress(box, item) {
  const p = item.progress;
  const percent = p && p.bytes_total ? Math.floor((p.bytes_read * 100) / p.bytes_total) : 0;
  mount(box, h('section', { class: 'panel' },
    h('h2', {}, item.dry_run ? t('import.checking') : t('import.importing')),
    h('progress', { max: 100, value: percent, 'aria-label': t('import.progress') }),
    h('p', {}, item.state === 'queued' ? t('import.queued') : t('import.rows', { rows: formatNumber(p?.rows || 0), percent }))));
}

function drawReport(box, item, apply) {
  const r = item.report;
  if (!r) {
    mount(box, h('section', { class: 'panel', role: 'alert' }, h('h2', {}, t('import.failed')), h('p', { class: 'error' }, item.error || '')));
    return;
  }
  const counts = [['import.created', r.created], ['import.updated', r.updated], ['import.unchanged', r.unchanged], ['import.failedRows', r.failed]];
  const title = r.applied ? t('import.applied') : item.dry_run ? (r.failed ? t('import.checkedErrors') : t('import.checkedOk')) : t('import.notApplied');
  mount(box, h('section', { class: 'panel', role: r.failed ? 'alert' : 'status' },
    h('h2', {}, title),
    h('p', { class: 'muted' }, t('import.summary', { rows: formatNumber(r.rows), encoding: r.encoding, delimiter: r.delimiter === '\t' ? 'tab' : r.delimiter })),
    h('dl', { class: 'details' }, counts.map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, formatNumber(v))])),
    r.ignored_columns?.length ? h('p', {}, t('import.ignored', { columns: r.ignored_columns.join(', ') })) : null,
    r.issues.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', {}, r.failed > r.issues.length ? t('import.firstIssues', { count: r.issues.length }) : t('import.issues')),
      h('thead', {}, h('tr', {}, [t('import.line'), t('product.sku'), t('import.field'), t('import.problem')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, r.issues.map((i) => h('tr', {}, h('td', {}, String(i.line)), h('td', { class: 'text' }, i.sku || ''), h('td', {}, i.field || ''), h('td', {}, i.message))))))
      : null,
    item.dry_run && !r.failed && (r.created || r.updated)
      ? busyButton({ class: 'primary' }, t('import.applyThis'), apply) : null));
}

async function drawHistory(box, id, follow) {
  const { items } = await api.get(`/businesses/${id}/imports`);
  if (!items.length) { mount(box, h('p', { class: 'empty' }, t('import.none'))); return; }
  mount(box, h('table', {},
    h('thead', {}, h('tr', {}, [t('import.when'), t('import.file'), t('import.kind'), t('field.status'), t('import.result')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((i) => h('tr', {},
      h('td', {}, formatDateTime(i.created_at)),
      h('td', { class: 'text' }, h('button', { type: 'button', class: 'link-button', onclick: () => follow(i) }, i.file_name)),
      h('td', {}, i.dry_run ? t('import.dryRun') : t('import.applyKind')),
      h('td', {}, t(`importState.${i.state}`)),
      h('td', {}, i.report ? t('import.resultLine', { created: i.report.created, updated: i.report.updated, failed: i.report.failed }) : (i.error || '')))))));
}
