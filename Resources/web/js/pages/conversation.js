// One conversation: its history (older pages on demand), messages arriving live, replies, files
// (images inline in a box of their known size, large photos shrunk before upload), product cards
// with the reader's own price, edits and deletions, read marks, typing, and negotiations as offer
// cards. Subscribes to the live socket before it fetches, so nothing falls between the two.
import { api, idempotencyKey, query } from '../api.js';
import { h, mount, openDialog, toast } from '../dom.js';
import { formatBytes, formatDateTime, t } from '../i18n.js';
import { money } from '../catalog-util.js';
import { session } from '../session.js';
import { linkify, listen, seen, shrinkImage, typing } from '../talk.js';
import { offerCard, offerComposer } from '../components/offer.js';

export async function render(main, ctx) {
  const id = ctx.params.id;
  const messages = new Map();
  const pending = [];
  let ready = false;
  let conversation;
  let lastSeq = 0;
  let nextBefore = null;
  let replyTo = null;
  const me = session.me.id;
  // The list is redrawn as events arrive, so it is not itself a live region: arrivals are announced apart.
  const list = h('ol', { class: 'messages', 'aria-label': t('talk.messages') });
  const announce = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const typingLine = h('p', { class: 'typing muted', 'aria-live': 'polite' });
  const older = h('button', { type: 'button', class: 'small', hidden: true, onclick: loadOlder }, t('talk.older'));

  // Subscribe first: events that arrive while the history loads wait in `pending`.
  const stop = listen((m) => {
    if (!main.isConnected) return stop();
    if (m.type === 'typing' && m.conversation_id === id) return showTyping(m.name);
    if (m.type === 'resync' && m.conversation_id === id) { stop(); return render(main, ctx); }
    if (m.type !== 'conversation.event' || m.conversation_id !== id) return;
    if (!ready) return pending.push(m);
    apply(m);
  });
  addEventListener('tp:leave', () => stop(), { once: true });

  try {
    conversation = await api.get(`/conversations/${id}`);
  } catch (error) {
    if (error.status === 404) return mount(main, h('h1', { tabindex: -1 }, t('talk.notFound')));
    throw error;
  }
  const side = await mySide(conversation);
  const page = await api.get(`/conversations/${id}/messages?limit=50`);
  lastSeq = page.last_seq;
  nextBefore = page.next_before ?? null;
  seen(id, lastSeq);
  for (const m of page.items) messages.set(m.id, m);
  ready = true;
  for (const m of pending.splice(0)) if (m.seq > lastSeq) apply(m);

  function apply(event) {
    lastSeq = Math.max(lastSeq, event.seq);
    if (event.message) messages.set(event.message.id, event.message);
    if (event.kind === 'read' && event.user_id !== me) otherRead = Math.max(otherRead, event.read_seq);
    draw();
    if (event.kind === 'message.created' && event.message?.author_id !== me) {
      announce.textContent = t('talk.newFrom', { name: event.message.author_name });
      if (document.visibilityState === 'visible') markRead();
    }
  }

  let otherRead = 0;
  function draw() {
    const sorted = [...messages.values()].sort((a, b) => a.seq - b.seq);
    const latest = new Map();
    for (const m of sorted) if (m.offer) latest.set(m.offer.negotiation_id, Math.max(latest.get(m.offer.negotiation_id) ?? 0, m.offer.revision));
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    mount(list, sorted.map((m) => bubble(m, latest)));
    older.hidden = nextBefore === null;
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  function bubble(m, latest) {
    const mine = m.author_id === me;
    const item = h('li', { class: `message${mine ? ' mine' : ''}${m.deleted_at ? ' deleted' : ''}`, id: `m-${m.id}`, dataset: { seq: m.seq } });
    const head = h('div', { class: 'message-head' }, h('strong', {}, m.author_name), ' ',
      h('time', { datetime: m.created_at, class: 'muted' }, formatDateTime(m.created_at)),
      m.edited_at && !m.deleted_at ? h('span', { class: 'muted' }, ' · ', t('talk.edited')) : null,
      mine && !m.deleted_at && otherRead >= m.seq ? h('span', { class: 'muted', title: t('talk.read') }, ' ✓✓') : null);
    item.append(head);
    if (m.deleted_at) { item.append(h('p', { class: 'muted' }, t('talk.deleted'))); return item; }
    if (m.reply_to) {
      const quoted = messages.get(m.reply_to);
      item.append(h('a', { class: 'reply-quote', href: `#m-${m.reply_to}` }, quoted ? (quoted.deleted_at ? t('talk.deleted') : `${quoted.author_name}: ${(quoted.text || '').slice(0, 80)}`) : t('talk.earlier')));
    }
    if (m.offer) {
      item.append(offerCard(m.offer, latest.get(m.offer.negotiation_id) === m.offer.revision ? side : null, () => {}));
    } else if (m.text) {
      item.append(h('p', { class: 'message-text' }, linkify(m.text, h)));
    }
    for (const a of m.attachments || []) item.append(attachment(a));
    if (m.product_id) item.append(productCard(m.product_id));
    if (!m.offer) {
      const tools = h('div', { class: 'message-tools' },
        h('button', { type: 'button', class: 'link-button', onclick: () => { replyTo = m; showReply(); text.focus(); } }, t('talk.reply')));
      if (mine) {
        tools.append(h('button', { type: 'button', class: 'link-button', onclick: () => edit(m) }, t('action.edit')),
          h('button', { type: 'button', class: 'link-button', onclick: () => remove(m) }, t('action.delete')));
      }
      item.append(tools);
    }
    return item;
  }

  function attachment(a) {
    const url = `/api/v1/attachments/${a.id}`;
    if (a.content_type.startsWith('image/') && a.width && a.height) {
      const width = Math.min(a.width, 320);
      return h('a', { href: url, target: '_blank', rel: 'noopener', class: 'attachment-image' },
        h('img', { src: url, alt: a.name, width, height: Math.round(a.height * width / a.width), loading: 'lazy', decoding: 'async' }));
    }
    return h('p', {}, h('a', { href: url, download: a.name, class: 'attachment' }, `📎 ${a.name}`), h('span', { class: 'muted' }, ` ${formatBytes(a.size)}`));
  }

  function productCard(productId) {
    const card = h('div', { class: 'product-chip' }, t('talk.loading'));
    // The reader's own price: for the buyer they act for here, at the product's minimum quantity.
    api.get(`/products/${productId}`).then(async (p) => [p, await api.get(`/products/${productId}/price${query({
      quantity: p.min_order_quantity || 1, buyer_business_id: side === 'buyer' ? conversation.buyer_business_id : undefined })}`).catch(() => null)])
    .then(([p, price]) => {
      mount(card, h('a', { href: `/products/${p.id}` }, h('strong', {}, p.name)), ' ', h('span', { class: 'muted' }, p.sku), ' · ',
        h('span', { class: 'price' }, money(price?.unit_price || p.price)),
        price?.price_list_id || price?.tier_min_quantity ? h('span', { class: 'muted' }, ' ', t('talk.yourPrice')) : null);
    }).catch(() => mount(card, t('talk.productGone')));
    return card;
  }

  /** Edits in place: the text becomes a field with Save and Cancel (Escape cancels, Enter saves). */
  function edit(m) {
    const node = list.querySelector(`#m-${m.id} .message-text`);
    if (!node) return;
    const field = h('textarea', { rows: 3, maxlength: 4000, 'aria-label': t('talk.editPrompt') });
    field.value = m.text || '';
    const save = async () => {
      if (field.value === m.text) return draw();
      try { messages.set(m.id, await api.patch(`/messages/${m.id}`, { text: field.value })); } catch (error) { toast(error.message, 'error'); }
      draw();
    };
    field.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); draw(); }
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); save(); }
    });
    node.replaceWith(h('div', { class: 'message-edit' }, field,
      h('div', { class: 'message-tools' }, h('button', { type: 'button', class: 'small primary', onclick: save }, t('action.save')),
        h('button', { type: 'button', class: 'small', onclick: () => draw() }, t('action.cancel')))));
    field.focus();
  }

  async function remove(m) {
    const sure = await openDialog(t('talk.deleteTitle'), (close) => h('div', {}, h('p', {}, t('talk.deleteConfirm')),
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', onclick: () => close(false) }, t('action.cancel')),
        h('button', { type: 'button', class: 'primary', onclick: () => close(true) }, t('action.delete')))));
    if (!sure) return;
    try { messages.set(m.id, await api.del(`/messages/${m.id}`)); draw(); } catch (error) { toast(error.message, 'error'); }
  }

  async function loadOlder() {
    const more = await api.get(`/conversations/${id}/messages?limit=50&before=${nextBefore}`);
    for (const m of more.items) messages.set(m.id, m);
    nextBefore = more.next_before ?? null;
    draw();
  }

  let typingTimer = null;
  function showTyping(name) {
    typingLine.textContent = t('talk.typing', { name });
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { typingLine.textContent = ''; }, 4000);
  }

  async function markRead() {
    try { await api.post(`/conversations/${id}/read`, { seq: lastSeq }); } catch { /* next time */ }
  }

  // The composer: text, files, a reply.
  const text = h('textarea', { name: 'text', rows: 2, maxlength: 4000, 'aria-label': t('talk.write'), placeholder: t('talk.write') });
  const files = h('input', { type: 'file', multiple: true, class: 'visually-hidden', id: 'talk-files',
    accept: 'image/*,application/pdf,text/csv,.xlsx,.xls' });
  const chosen = h('ul', { class: 'chosen-files' });
  const replyBox = h('p', { class: 'reply-box', hidden: true });
  function showReply() {
    replyBox.hidden = !replyTo;
    if (replyTo) mount(replyBox, t('talk.replyingTo', { name: replyTo.author_name }), ' ',
      h('button', { type: 'button', class: 'link-button', onclick: () => { replyTo = null; showReply(); } }, t('action.cancel')));
  }
  let lastTyping = 0;
  text.addEventListener('input', () => { if (Date.now() - lastTyping > 2000) { lastTyping = Date.now(); typing(id); } });
  text.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); } });
  files.addEventListener('change', () => mount(chosen, [...files.files].map((f) => h('li', {}, `${f.name} (${formatBytes(f.size)})`))));
  const send = h('button', { type: 'submit', class: 'primary' }, t('talk.send'));
  const form = h('form', { class: 'composer' }, replyBox, text, chosen,
    h('div', { class: 'composer-actions' },
      h('label', { for: 'talk-files', class: 'button small' }, t('talk.attach')), files,
      conversation.kind === 'trade' && side ? h('button', { type: 'button', class: 'small', onclick: newOffer }, side === 'seller' ? t('offer.new') : t('offer.newRfq')) : null,
      send));
  let key = idempotencyKey();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!text.value.trim() && !files.files.length) return;
    send.disabled = true;
    try {
      const ids = [];
      for (const file of files.files) {
        const body = await shrinkImage(file);
        const type = body.type || (file.name.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv');
        ids.push((await api.upload(`/conversations/${id}/attachments?name=${encodeURIComponent(body.name)}`, new File([body], body.name, { type }))).id);
      }
      const message = await api.create(`/conversations/${id}/messages`, {
        ...(text.value.trim() ? { text: text.value } : {}), ...(replyTo ? { reply_to: replyTo.id } : {}), ...(ids.length ? { attachment_ids: ids } : {}) }, key);
      messages.set(message.id, message);
      key = idempotencyKey();
      text.value = '';
      files.value = '';
      mount(chosen);
      replyTo = null;
      showReply();
      draw();
      list.scrollTop = list.scrollHeight;
    } catch (error) {
      toast(error.status === 413 || error.status === 415 ? error.message : error.message, 'error');
    } finally {
      send.disabled = false;
    }
  });

  async function newOffer() {
    await offerComposer({ title: side === 'seller' ? t('offer.new') : t('offer.newRfq'), kind: side === 'seller' ? 'offer' : 'rfq',
      send: (body, k) => api.create(`/conversations/${id}/negotiations`, body, k) });
  }

  const title = conversation.title || (conversation.kind === 'trade' ? `${conversation.buyer_name} · ${conversation.seller_name}` : t('talk.direct'));
  const archive = h('button', { type: 'button', class: 'small', onclick: async () => {
    conversation = await api.post(`/conversations/${id}/${conversation.state === 'open' ? 'archive' : 'reopen'}`);
    stop();
    render(main, ctx);
  } }, conversation.state === 'open' ? t('talk.archive') : t('talk.reopen'));
  mount(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, title), h('a', { href: '/messages', class: 'button small' }, t('talk.inbox')), archive),
    conversation.state === 'archived' ? h('p', { class: 'notice' }, t('talk.archivedNote')) : null,
    h('div', { class: 'conversation' }, older, list, announce, typingLine, conversation.state === 'open' ? form : null));
  draw();
  list.scrollTop = list.scrollHeight;
  markRead();
}

/** The side I speak for here: a member of (or salesperson linked to) the seller or the buyer. */
async function mySide(c) {
  if (c.kind !== 'trade') return null;
  const mine = new Set((await api.get('/me/businesses')).items.map((m) => m.business.id));
  if (session.me.user_kind === 'salesperson') {
    for (const l of (await api.get('/salesperson-links?state=active')).items) if (l.user_id === session.me.id) mine.add(l.business_id);
  }
  if (mine.has(c.seller_business_id)) return 'seller';
  if (mine.has(c.buyer_business_id)) return 'buyer';
  return null;
}
