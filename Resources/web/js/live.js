// The live channel: one WebSocket to /api/v1/live, reconnected with backoff while a page wants it.

/** Subscribes to `topic`; `onMessage(msg)` gets each server message, `onStatus(connected)` the state.
 *  Messages that carry a `seq` (orders) are counted: a reconnect asks for what came after the last
 *  one seen, so nothing said while the socket was down is lost. Returns a function that closes it. */
export function subscribe(topic, onMessage, onStatus = () => {}) {
  let socket = null;
  let closed = false;
  let delay = 500;
  let timer = null;
  let lastSeq = null;

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/api/v1/live`);
    socket.addEventListener('open', () => {
      delay = 500;
      socket.send(JSON.stringify(lastSeq === null ? { subscribe: topic } : { subscribe: topic, after: lastSeq }));
    });
    socket.addEventListener('message', (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.type === 'subscribed') {
        if (typeof message.seq === 'number' && lastSeq === null) lastSeq = message.seq;
        onStatus(true);
      } else if (message.type !== 'hello') {
        if (typeof message.seq === 'number') lastSeq = Math.max(lastSeq ?? 0, message.seq);
        onMessage(message);
      }
    });
    socket.addEventListener('close', () => {
      onStatus(false);
      if (closed) return;
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    });
  }
  connect();
  return () => {
    closed = true;
    clearTimeout(timer);
    socket?.close();
  };
}

/** Live order changes for the page in `main`: `changed(message)` for each; stops when the page is left. */
export function watchOrders(main, changed) {
  const close = subscribe('orders', (message) => {
    if (!main.isConnected) return close();
    if (message.type === 'order.changed') changed(message);
  });
  addEventListener('tp:leave', () => close(), { once: true });
  return close;
}
