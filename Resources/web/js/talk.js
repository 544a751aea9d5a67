// Conversations in real time: one socket for the whole app, subscribed to the caller's
// conversations and unread counts. It remembers the last sequence number seen per conversation
// and sends them when it reconnects, so the server replays what was missed — edits and deletions
// too — or says `resync` and the page reloads that conversation. Pages subscribe here before they
// fetch (nothing falls between the two) and tell it the history's `last_seq`.
import { api } from './api.js';

const cursors = new Map();
// The last notification id seen: a reconnect asks for what came after it.
let notificationCursor = null;
const listeners = new Set();
let socket = null;
let delay = 500;
let timer = null;

function connect() {
  if (socket || !listeners.size) return;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${scheme}://${location.host}/api/v1/live`);
  socket = ws;
  ws.addEventListener('open', () => {
    delay = 500;
    ws.send(JSON.stringify({ subscribe: 'conversations', after: Object.fromEntries(cursors) }));
    ws.send(JSON.stringify({ subscribe: 'inbox' }));
    ws.send(JSON.stringify({ subscribe: 'notifications', ...(notificationCursor === null ? {} : { after: notificationCursor }) }));
  });
  ws.addEventListener('message', (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    if (message.type === 'subscribed' && message.topic === 'notifications') {
      notificationCursor = Math.max(notificationCursor ?? 0, message.seq);
    } else if (message.type === 'notification') {
      if (message.seq <= (notificationCursor ?? 0)) return;
      notificationCursor = message.seq;
    } else if (message.type === 'conversation.event') {
      if (message.seq <= (cursors.get(message.conversation_id) ?? 0)) return;
      cursors.set(message.conversation_id, message.seq);
    } else if (message.type === 'resync' && message.conversation_id) {
      cursors.set(message.conversation_id, message.seq);
    } else if (message.type === 'resync') {
      // Too slow to keep up: subscribe again from where each conversation stands.
      ws.send(JSON.stringify({ subscribe: 'conversations', after: Object.fromEntries(cursors) }));
      ws.send(JSON.stringify({ subscribe: 'notifications', after: notificationCursor ?? 0 }));
    }
    for (const listener of listeners) listener(message);
  });
  ws.addEventListener('close', () => {
    if (socket !== ws) return;  // closed on purpose, or replaced
    socket = null;
    for (const listener of listeners) listener({ type: 'status', connected: false });
    if (!listeners.size) return;
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, 15000);
  });
}

/** Calls `listener(message)` for every conversation event, `inbox` count, `notification`, `typing` and `resync`. */
export function listen(listener) {
  listeners.add(listener);
  connect();
  return () => {
    listeners.delete(listener);
    if (!listeners.size) { clearTimeout(timer); const ws = socket; socket = null; ws?.close(); }
  };
}

/** The page read a conversation's history up to `seq`: live events at or below it are not new. */
export function seen(conversationId, seq) {
  cursors.set(conversationId, Math.max(cursors.get(conversationId) ?? 0, seq));
}

export function typing(conversationId) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ typing: conversationId }));
}

/** The caller's unread total, from the server (the badge's first value before the socket says). */
export async function refreshUnread() {
  try { return await api.get('/inbox'); } catch { return { total: 0, conversations: {} }; /* the badge waits for the socket */ }
}

/** Shrinks a large photo before upload (longest side 2000 px, JPEG): phones take 12 MP pictures. */
export async function shrinkImage(file) {
  if (!/^image\/(jpeg|png|webp)$/.test(file.type) || file.size < 1_500_000) return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 2000 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (!blob || blob.size >= file.size) return file;
    return new File([blob], file.name.replace(/\.\w+$/, '') + '.jpg', { type: 'image/jpeg' });
  } catch {
    return file;
  }
}

/** Text with links made clickable; nothing else is ever read as markup. */
export function linkify(text, h) {
  const out = [];
  const re = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;
  let last = 0;
  for (const match of text.matchAll(re)) {
    if (match.index > last) out.push(text.slice(last, match.index));
    out.push(h('a', { href: match[0], target: '_blank', rel: 'noopener noreferrer nofollow' }, match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
