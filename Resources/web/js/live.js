// The live channel: one WebSocket to /api/v1/live, reconnected with backoff while a page wants it.

/** Subscribes to `topic`; `onMessage(msg)` gets each server message, `onStatus(connected)` the state.
 *  Returns a function that closes the channel. */
export function subscribe(topic, onMessage, onStatus = () => {}) {
  let socket = null;
  let closed = false;
  let delay = 500;
  let timer = null;

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/api/v1/live`);
    socket.addEventListener('open', () => {
      delay = 500;
      socket.send(JSON.stringify({ subscribe: topic }));
    });
    socket.addEventListener('message', (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.type === 'subscribed') onStatus(true);
      else if (message.type !== 'hello') onMessage(message);
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
