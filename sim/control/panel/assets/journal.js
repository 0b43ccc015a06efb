// The journal: the last events in a fixed-size ring, drawn as a virtual
// list — only the rows in view exist in the page, however many events
// come in.

const ROW = 20; // px, as .jrow in panel.css
const KEEP = 5000;

const ALARM = new Set([82, 84, 510, 512]);
const TROUBLE = new Set([85, 502, 514, 568, 570, 909, 911, 920]);

/** The class of an event's row: its colour. */
function tone(ev) {
  if (ev.type === 990 || ev.type === 991) return 'j-fault';
  if (ev.type === 202) return 'j-ok';
  if (ev.type >= 204 && ev.type < 230) return 'j-bad';
  if (ALARM.has(ev.type)) return 'j-bad';
  if (TROUBLE.has(ev.type)) return 'j-warn';
  return '';
}

/** An event in one line of words. */
export function describe(ev) {
  const t = (ev.time || '').replace('T', ' ').replace(/(\.\d+)?(Z|[+-]\d\d:\d\d)$/, '');
  const parts = [t, ev.text];
  if (ev.fault) {
    const f = ev.fault;
    const params = f.params ? Object.entries(f.params).map(([k, v]) => `${k}=${v}`).join(',') : '';
    parts.push(`${f.id} ${f.target}:${f.kind}${params ? ' ' + params : ''}`);
  }
  if (ev.source_name) parts.push('— ' + ev.source_name + (ev.door_name && ev.door_name !== ev.source_name ? ` (${ev.door_name})` : ''));
  if (ev.card) parts.push(ev.card);
  if (ev.user) parts.push(ev.user);
  if (ev.reason) parts.push(ev.reason);
  if (ev.value) parts.push(`${ev.value} s`);
  return parts.join(' ');
}

export class Journal {
  constructor(box, spacer, rows, count, follow) {
    this.box = box;
    this.spacer = spacer;
    this.rowsEl = rows;
    this.count = count;
    this.follow = follow;
    this.events = [];
    this.view = this.events; // the events the filter keeps
    this.filter = '';
    this.missed = 0;
    this.pool = [];
    this.pending = false;
    box.addEventListener('scroll', () => {
      const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - ROW;
      if (follow.checked !== atEnd) follow.checked = atEnd;
      this.draw();
    });
    follow.addEventListener('change', () => this.redraw());
  }

  /** Adds events (oldest first). */
  add(evs) {
    for (const ev of evs) this.events.push(ev);
    if (this.events.length > KEEP + 500) this.events.splice(0, this.events.length - KEEP);
    this.redraw();
  }

  noteMissed(n) {
    this.missed += n;
    this.redraw();
  }

  setFilter(text) {
    this.filter = text.trim().toLowerCase();
    this.redraw();
  }

  matches(ev) {
    const f = this.filter;
    if (!f) return true;
    if (f.startsWith('#')) {
      const id = Number(f.slice(1));
      return ev.source === id || ev.door === id || ev.controller === id;
    }
    return (ev.source_name || '').toLowerCase().includes(f) || (ev.door_name || '').toLowerCase().includes(f) ||
      (ev.kind || '').toLowerCase() === f;
  }

  /** Redraws once, at the next frame. */
  redraw() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.view = this.filter ? this.events.filter((e) => this.matches(e)) : this.events;
      this.spacer.style.height = `${this.view.length * ROW}px`;
      let c = `${this.view.length} of the last ${this.events.length} events`;
      if (this.missed) c += `, ${this.missed} missed`;
      this.count.textContent = c;
      if (this.follow.checked) this.box.scrollTop = this.box.scrollHeight;
      this.draw();
    });
  }

  /** Draws the rows in view, reusing a small pool of elements. */
  draw() {
    const first = Math.max(0, Math.floor(this.box.scrollTop / ROW) - 2);
    const n = Math.min(this.view.length - first, Math.ceil(this.box.clientHeight / ROW) + 4);
    while (this.pool.length < n) {
      const d = document.createElement('div');
      d.className = 'jrow';
      this.rowsEl.appendChild(d);
      this.pool.push(d);
    }
    this.rowsEl.style.transform = `translateY(${first * ROW}px)`;
    for (let i = 0; i < this.pool.length; i++) {
      const d = this.pool[i];
      if (i >= n) {
        d.hidden = true;
        continue;
      }
      const ev = this.view[first + i];
      d.hidden = false;
      d.className = 'jrow ' + tone(ev);
      d.dataset.seq = ev.seq;
      d.replaceChildren();
      const s = document.createElement('span');
      s.className = 'seq';
      s.textContent = ev.seq;
      d.append(s, describe(ev));
      d.title = d.textContent;
    }
  }
}
