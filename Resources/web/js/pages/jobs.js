import { api, query } from '../api.js';
import { busyButton, h, mount, toast } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n.js';
import { subscribe } from '../live.js';
import { session } from '../session.js';

const STATES = ['pending', 'running', 'succeeded', 'discarded', 'cancelled'];
let closeLive = null;

export async function render(main) {
  closeLive?.();
  const canManage = session.can('jobs.manage');
  const canPause = session.can('queues.manage');
  const live = h('span', { class: 'badge badge-muted live-badge', role: 'status' }, t('jobs.offline'));
  const queues = h('div', { class: 'cards queue-cards' });
  const failing = h('div', { class: 'table-wrap' });
  const recent = h('div', { class: 'table-wrap' });
  const stateFilter = h('select', { 'aria-label': t('field.status') },
    h('option', { value: '' }, t('jobs.allStates')), STATES.map((s) => h('option', { value: s }, t(`jobState.${s}`))));

  function drawQueues(items) {
    mount(queues, items.map((q) => h('section', { class: 'card queue-card', 'aria-label': q.queue, dataset: { queue: q.queue } },
      h('div', { class: 'queue-title' }, h('h2', {}, q.queue), q.paused ? h('span', { class: 'badge badge-muted' }, t('jobs.paused')) : null),
      h('dl', { class: 'queue-counts' },
        count('jobs.pending', q.pending), count('jobs.running', q.running), count('jobs.retrying', q.retrying),
        count('jobState.succeeded', q.succeeded), count('jobState.discarded', q.discarded), count('jobState.cancelled', q.cancelled)),
      h('p', { class: 'muted small' }, q.oldest_waiting_seconds > 0
        ? t('jobs.oldest', { seconds: formatNumber(Math.round(q.oldest_waiting_seconds)) }) : t('jobs.noneWaiting')),
      canPause ? busyButton({ class: 'small' }, q.paused ? t('jobs.resume') : t('jobs.pause'), async () => {
        await api.post(`/admin/queues/${encodeURIComponent(q.queue)}/${q.paused ? 'resume' : 'pause'}`);
        await refresh();
      }) : null)));
  }

  function jobTable(items, empty) {
    if (!items.length) return h('p', { class: 'empty' }, empty);
    return h('table', {},
      h('thead', {}, h('tr', {}, ['#', t('jobs.type'), t('jobs.queue'), t('field.status'), t('jobs.attempts'), t('jobs.runAt'), t('jobs.error'), '']
        .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((job) => h('tr', { dataset: { job: job.id } },
        h('td', {}, String(job.id)),
        h('td', {}, h('code', {}, job.type)),
        h('td', {}, job.queue),
        h('td', {}, h('span', { class: `badge job-${job.state}` }, t(`jobState.${job.state}`))),
        h('td', {}, `${job.attempts}/${job.max_attempts}`),
        h('td', {}, formatDateTime(job.run_at)),
        h('td', { class: 'small error-cell' }, job.last_error || '—'),
        h('td', { class: 'actions' }, canManage ? actions(job) : null)))));
  }

  function actions(job) {
    const buttons = [];
    if (['discarded', 'cancelled', 'pending'].includes(job.state)) {
      buttons.push(busyButton({ class: 'small' }, t('jobs.retry'), async () => {
        await api.post(`/jobs/${job.id}/retry`);
        toast(t('jobs.retried', { id: job.id }), 'success');
        await refresh();
      }));
    }
    if (job.state === 'pending') {
      buttons.push(busyButton({ class: 'small danger' }, t('jobs.discard'), async () => {
        await api.post(`/jobs/${job.id}/discard`);
        await refresh();
      }));
    }
    return buttons;
  }

  async function refresh() {
    const [stats, failed, latest] = await Promise.all([
      api.get('/jobs/stats'),
      api.get('/jobs?failing=true&limit=50'),
      api.get(`/jobs${query({ state: stateFilter.value, limit: 50 })}`),
    ]);
    drawQueues(stats.items);
    mount(failing, jobTable(failed.items, t('jobs.noFailures')));
    mount(recent, jobTable(latest.items, t('jobs.none')));
  }

  let pending = null;
  function refreshSoon() {
    if (pending) return;
    pending = setTimeout(async () => {
      pending = null;
      if (!main.isConnected) return closeLive?.();
      try { await refresh(); } catch { /* shown on the next change */ }
    }, 250);
  }

  stateFilter.addEventListener('change', refresh);
  mount(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, t('nav.jobs')), live),
    queues,
    h('section', { class: 'panel' }, h('h2', {}, t('jobs.failing')), failing),
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, t('jobs.recent')), stateFilter), recent));
  await refresh();
  // The page is left without being removed from the DOM when the frame is reused: stop on 'tp:leave'.
  addEventListener('tp:leave', () => { clearTimeout(pending); closeLive?.(); }, { once: true });
  closeLive = subscribe('jobs', (message) => {
    if (!main.isConnected) return closeLive?.();
    if (message.type === 'jobs.changed') {
      drawQueues(message.items);
      refreshSoon();
    }
  }, (connected) => {
    live.textContent = connected ? t('jobs.live') : t('jobs.offline');
    live.className = connected ? 'badge live-badge' : 'badge badge-muted live-badge';
  });
}

/** One label and its number, kept together so the grid never puts a number under another label. */
function count(key, value) {
  return h('div', { class: 'count' }, h('dt', {}, t(key)), h('dd', {}, formatNumber(value)));
}
