// The control API as the panel uses it: JSON calls and the event stream.
// Nothing here knows the page.

/** An error answer of the API (or no answer at all: status 0). */
export class APIError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
  /** The message as the page shows it: the API's own words and the status. */
  toString() {
    return this.status ? `${this.message} (HTTP ${this.status})` : this.message;
  }
}

/**
 * Calls the control API: method and path under /v1, an optional JSON body.
 * Every POST carries a JSON body ({} when there is nothing to say) with its
 * Content-Type. Resolves to the decoded answer; rejects with an APIError
 * carrying the API's {"error":"…"} message.
 */
export async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (method === 'POST' || method === 'PUT' || body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }
  let resp;
  try {
    resp = await fetch('/v1' + path, init);
  } catch (e) {
    throw new APIError(0, `the control API cannot be reached (${e.message})`);
  }
  const text = await resp.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      if (!resp.ok) throw new APIError(resp.status, text.trim());
      throw new APIError(resp.status, 'the answer is not JSON');
    }
  }
  if (!resp.ok) throw new APIError(resp.status, (data && data.error) || resp.statusText);
  return data;
}

// The names the stream gives its events (the control API's documentation).
const EVENT_NAMES = ['access', 'door', 'reader', 'input', 'output', 'controller', 'gateway', 'site',
  'event', 'fault-added', 'fault-removed'];

/**
 * Follows GET /v1/events/stream from after the given sequence number.
 * Events are handed over in batches, once per animation frame, so a busy
 * journal costs one render per frame, not one per event. The browser
 * reconnects by itself with Last-Event-ID, so the events missed while away
 * are replayed; a stream the server refused (503 while closing) is opened
 * again after a pause, from the last event seen.
 *
 * handlers: onBatch(events), onMissed(n), onState('live'|'down'|'wait'),
 * onReconnect() after the stream came back from a cut, onClock(clock) when
 * the clock was advanced.
 */
export class Stream {
  constructor(after, handlers) {
    this.last = after;
    this.h = handlers;
    this.queue = [];
    this.frame = 0;
    this.wasDown = false;
    this.retry = 0;
    this.open();
  }

  open() {
    const es = new EventSource(`/v1/events/stream?after=${this.last}`);
    this.es = es;
    const take = (m) => {
      let ev;
      try {
        ev = JSON.parse(m.data);
      } catch {
        return;
      }
      if (ev.seq <= this.last) return;
      this.last = ev.seq;
      this.queue.push(ev);
      if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
    };
    for (const name of EVENT_NAMES) es.addEventListener(name, take);
    // The clock moved (any client's advance): timers fired, and what they
    // changed without an event (a door relocking) is to be read again.
    es.addEventListener('clock', (m) => {
      try {
        if (this.h.onClock) this.h.onClock(JSON.parse(m.data));
      } catch { /* a malformed notice says nothing */ }
    });
    es.addEventListener('missed', (m) => {
      try {
        this.h.onMissed(JSON.parse(m.data).missed);
      } catch { /* a malformed notice says nothing */ }
    });
    es.onopen = () => {
      this.h.onState('live');
      if (this.wasDown) {
        this.wasDown = false;
        this.h.onReconnect();
      }
    };
    es.onerror = () => {
      this.wasDown = true;
      if (es.readyState === EventSource.CLOSED) {
        // Refused, not cut: the browser gives up; try again ourselves.
        this.h.onState('down');
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.open(), 2000);
      } else {
        this.h.onState('down');
      }
    };
  }

  flush() {
    this.frame = 0;
    const batch = this.queue;
    this.queue = [];
    if (batch.length) this.h.onBatch(batch);
  }
}
