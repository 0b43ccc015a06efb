// The site panel: the site as a tree of its components with their state,
// the stimuli, faults, clock and journal — all through the control API.
import { api, APIError, Stream } from './api.js';
import { Journal } from './journal.js';

const $ = (id) => document.getElementById(id);
const MAX_U64 = '18446744073709551615';
// A site with more doors than this opens folded: its sites and controllers
// are drawn when opened.
const OPEN_ALL_DOORS = 100;
// Refreshes of components the journal says changed: per round, at most.
const REFRESH_BATCH = 40;
const REFRESH_PAUSE = 200; // ms between rounds
const PLURAL = { gateway: 'gateways', site: 'sites', controller: 'controllers', door: 'doors', reader: 'readers', input: 'inputs', output: 'outputs' };

const S = {
  byId: new Map(), // id → {kind, st}
  kids: new Map(), // id → child ids, in site order
  rows: new Map(), // id → the row element drawn for it
  dirty: new Set(), // drawn, to refresh
  stale: new Set(), // not drawn, changed since the snapshot
  timers: new Map(), // id → a refresh at the end of a timed state
  mode: 'real',
  names: [], // [lower-case name, id] for Find
};

/** Creates an element: h('span', {class: 'x'}, 'text', child…). */
function h(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...kids.filter((k) => k !== undefined && k !== null));
  return e;
}

function showError(el, err) {
  el.textContent = err ? String(err instanceof APIError ? err : new APIError(0, err.message || String(err))) : '';
}

// ---- states in words, with their colour -------------------------------

const LOCK_TONE = { locked: 'ok', 'unlocked-operator': 'info', 'unlocked-temporary': 'info', 'unlocked-access': 'info', 'unlocked-schedule': 'info', 'one-time-access': 'info' };
const CONTACT_TONE = { closed: 'ok', open: 'info', 'open-prealarm': 'warn', 'open-too-long': 'bad', forced: 'bad' };

/** The state words of a component: [field, word, tone]. */
function states(kind, st) {
  const out = [];
  switch (kind) {
    case 'gateway':
      out.push(['connected', st.connected ? 'connected' : 'disconnected', st.connected ? 'ok' : 'bad']);
      break;
    case 'controller':
      out.push(['online', st.online ? 'online' : 'offline', st.online ? 'ok' : 'bad']);
      if (st.online && !st.reachable) out.push(['reachable', 'unreachable', 'bad']);
      if (st.fault) out.push(['fault', 'fault', 'warn']);
      break;
    case 'door':
      out.push(['lock', st.lock, LOCK_TONE[st.lock] || 'info']);
      out.push(['contact', st.contact, CONTACT_TONE[st.contact] || 'warn']);
      if (st.trouble) out.push(['trouble', 'trouble', 'warn']);
      break;
    case 'reader':
      out.push(['enabled', st.enabled ? 'enabled' : 'disabled', st.enabled ? 'ok' : 'off']);
      if (st.fault) out.push(['fault', 'fault', 'bad']);
      if (st.keypad) out.push(['keypad', 'keypad', 'off']);
      break;
    case 'input':
      out.push(['state', st.state, st.state === 'normal' ? 'ok' : 'bad']);
      if (st.tamper) out.push(['tamper', 'tamper', 'bad']);
      if (st.trouble) out.push(['trouble', 'trouble', 'warn']);
      if (st.shunted) out.push(['shunted', 'shunted', 'off']);
      break;
    case 'output':
      out.push(['active', st.active ? 'active' : 'inactive', st.active ? 'info' : 'off']);
      if (st.fault) out.push(['fault', 'fault', 'warn']);
      if (st.trouble) out.push(['trouble', 'trouble', 'warn']);
      break;
  }
  return out;
}

function drawStates(box, kind, st) {
  box.replaceChildren(...states(kind, st).map(([field, word, t]) =>
    h('span', { class: `state s-${t}`, 'data-field': field }, word)));
}

// ---- actions ----------------------------------------------------------

/** A button calling the API; its error shows beside it, in the row. */
function act(label, row, call, title) {
  return h('button', {
    type: 'button', title,
    onclick: async (e) => {
      e.preventDefault(); // a button in a <summary> must not fold it
      const err = row.querySelector('[data-error]');
      const btn = e.currentTarget;
      btn.disabled = true;
      try {
        await call();
        showError(err, null);
        markDirty(Number(row.dataset.id));
      } catch (x) {
        showError(err, x);
      } finally {
        btn.disabled = false;
      }
    },
  }, label);
}

const post = (path, body) => api('POST', path, body);

function actions(kind, id, row) {
  switch (kind) {
    case 'gateway':
      return [act('Disconnect', row, () => post(`/gateways/${id}/disconnect`)), act('Connect', row, () => post(`/gateways/${id}/connect`))];
    case 'controller':
      return [act('Fail', row, () => post(`/controllers/${id}/fail`), 'cut its communication'), act('Restore', row, () => post(`/controllers/${id}/restore`))];
    case 'door':
      return [act('Open', row, () => post(`/doors/${id}/open`)), act('Close', row, () => post(`/doors/${id}/close`)),
        act('REX', row, () => post(`/doors/${id}/rex`), 'request to exit')];
    case 'reader':
      return [act('Present card', row, () => present(id, row), 'present the card of the Card box here')];
    case 'input':
      return [act('Activate', row, () => post(`/inputs/${id}/activate`)), act('Deactivate', row, () => post(`/inputs/${id}/deactivate`)),
        act('Tamper', row, () => post(`/inputs/${id}/tamper`)), act('Restore', row, () => post(`/inputs/${id}/restore`))];
  }
  return [];
}

async function present(id, row) {
  const c = S.byId.get(id);
  const body = { card: $('card-number').value.trim() };
  const pin = $('card-pin').value.trim();
  if (pin && c && c.st.keypad) body.pin = pin;
  const out = row.querySelector('.result');
  const dec = $('decision');
  out.textContent = '';
  try {
    const d = await post(`/readers/${id}/present`, body);
    const word = d.granted ? 'granted' : 'denied';
    let text = word + (d.reason ? `: ${d.reason}` : '') + (d.user ? ` — ${d.user}` : '');
    if (d.held) text += ' (held: controller cut off)';
    out.textContent = text;
    out.className = `result ${word}`;
    dec.textContent = `${c ? c.st.name : id}: ${text}`;
    dec.className = `decision ${word}`;
  } catch (x) {
    dec.textContent = `${c ? c.st.name : id}: ${x}`;
    dec.className = 'decision error';
    throw x;
  }
}

// ---- the tree ---------------------------------------------------------

function row(kind, st) {
  const r = h('div', { class: 'row', 'data-kind': kind, 'data-id': st.id, 'data-name': st.name });
  const sts = h('span', { class: 'states' });
  drawStates(sts, kind, st);
  r.append(h('span', { class: 'kind' }, kind), h('span', { class: 'name' }, st.name), h('span', { class: 'id' }, `#${st.id}`), sts);
  const acts = h('span', { class: 'acts' });
  acts.append(...actions(kind, st.id, r));
  if (kind === 'reader') acts.append(h('span', { class: 'result', 'aria-live': 'polite' }));
  acts.append(h('span', { class: 'error', 'data-error': '', role: 'alert' }));
  r.append(acts);
  S.rows.set(st.id, r);
  if (S.stale.delete(st.id)) markDirty(st.id);
  return r;
}

/** A foldable node: a <details> whose children are drawn when first opened. */
function fold(kind, id, open) {
  const c = S.byId.get(id);
  const d = h('details', { 'data-fold': id });
  const sum = h('summary', {}, row(kind, c.st));
  d.append(sum);
  let drawn = false;
  const draw = () => {
    if (drawn) return;
    drawn = true;
    d.append(children(id));
  };
  d.addEventListener('toggle', () => {
    if (d.open) draw();
    else undrawKids(id);
  });
  d.drawKids = () => { draw(); };
  d.undraw = () => { drawn = false; d.replaceChildren(sum); };
  if (open) {
    d.open = true;
    draw();
  }
  return d;
}

/** Forgets the rows under id when it is folded, so they cost nothing. */
function undrawKids(id) {
  const el = document.querySelector(`details[data-fold="${id}"]`);
  const forget = (x) => {
    for (const k of S.kids.get(x) || []) {
      S.rows.delete(k);
      S.dirty.delete(k);
      forget(k);
    }
  };
  forget(id);
  if (el && el.undraw) el.undraw();
}

function children(id) {
  const ul = h('ul');
  const openAll = S.openAll;
  for (const k of S.kids.get(id) || []) {
    const c = S.byId.get(k);
    let li;
    if (c.kind === 'site' || c.kind === 'controller') li = h('li', {}, fold(c.kind, k, openAll));
    else if (c.kind === 'door') {
      li = h('li', {}, row('door', c.st));
      const rs = h('ul');
      for (const r of S.kids.get(k) || []) rs.append(h('li', {}, row('reader', S.byId.get(r).st)));
      li.append(rs);
    } else li = h('li', {}, row(c.kind, c.st));
    ul.append(li);
  }
  return ul;
}

/** Indexes a snapshot: components by id, children in order. */
function index(snap) {
  S.byId.clear();
  S.kids.clear();
  S.names = [];
  const put = (kind, list, parent) => {
    for (const st of list) {
      S.byId.set(st.id, { kind, st });
      S.names.push([st.name.toLowerCase(), st.id]);
      const p = parent(st);
      if (p !== undefined) {
        if (!S.kids.has(p)) S.kids.set(p, []);
        S.kids.get(p).push(st.id);
      }
    }
  };
  put('gateway', snap.gateways, () => undefined);
  put('site', snap.sites, (s) => s.gateway);
  put('controller', snap.controllers, (c) => c.site);
  put('door', snap.doors, (d) => d.controller);
  // A door's readers, in the door's order.
  for (const d of snap.doors) S.kids.set(d.id, d.readers.slice());
  put('reader', snap.readers, () => undefined);
  put('input', snap.inputs, (i) => i.controller);
  put('output', snap.outputs, (o) => o.controller);
}

function parentOf(id) {
  const c = S.byId.get(id);
  if (!c) return 0;
  switch (c.kind) {
    case 'site': return c.st.gateway;
    case 'controller': return c.st.site;
    case 'door': case 'input': case 'output': return c.st.controller;
    case 'reader': return c.st.door;
  }
  return 0;
}

function drawTree(snap) {
  index(snap);
  S.rows.clear();
  S.dirty.clear();
  S.stale.clear();
  S.openAll = snap.doors.length <= OPEN_ALL_DOORS;
  const tree = $('tree');
  const ul = h('ul', { class: 'top' });
  for (const g of snap.gateways) ul.append(h('li', {}, fold('gateway', g.id, true)));
  tree.replaceChildren(ul);
  $('site-summary').textContent = `${snap.gateways.length} gateway(s), ${snap.sites.length} site(s), ${snap.controllers.length} controller(s), ` +
    `${snap.doors.length} door(s), ${snap.readers.length} reader(s), ${snap.inputs.length} input(s), ${snap.outputs.length} output(s)` +
    (S.openAll ? '' : ' — open a site to see its controllers, or find a component by name');
}

/** Opens the folds down to id and shows its row. */
function reveal(id) {
  const chain = [];
  for (let p = parentOf(id); p; p = parentOf(p)) chain.unshift(p);
  for (const p of chain) {
    const d = document.querySelector(`details[data-fold="${p}"]`);
    if (d && !d.open) {
      d.open = true;
      d.drawKids();
    }
  }
  const r = S.rows.get(id);
  if (!r) return;
  const d = r.closest('details');
  if (d && !d.open && d.dataset.fold === String(id)) d.open = true;
  r.scrollIntoView({ block: 'center' });
  r.classList.add('found');
  setTimeout(() => r.classList.remove('found'), 2000);
  const b = r.querySelector('button');
  if (b) b.focus({ preventScroll: true });
}

// ---- keeping states fresh ---------------------------------------------

function markDirty(id) {
  if (!S.byId.has(id)) return;
  if (S.rows.has(id)) S.dirty.add(id);
  else S.stale.add(id);
  scheduleRefresh();
}

let refreshing = false;
let refreshTimer = 0;
function scheduleRefresh() {
  if (refreshing || refreshTimer || !S.dirty.size) return;
  refreshTimer = setTimeout(refresh, 0);
}

/** Fetches the state of the drawn components the journal said changed. */
async function refresh() {
  refreshTimer = 0;
  refreshing = true;
  try {
    if (S.dirty.size > 12 && S.byId.size <= 3000) {
      // A small site: one snapshot is cheaper than many calls.
      S.dirty.clear();
      apply(await api('GET', '/site'));
    } else {
      const ids = [...S.dirty].slice(0, REFRESH_BATCH);
      for (const id of ids) S.dirty.delete(id);
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const id = ids[next++];
          const c = S.byId.get(id);
          try {
            update(id, await api('GET', `/${PLURAL[c.kind]}/${id}`));
          } catch { /* the next event or resync tells */ }
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
    }
  } catch { /* disconnected: the stream's return resyncs */ }
  refreshing = false;
  if (S.dirty.size) refreshTimer = setTimeout(refresh, REFRESH_PAUSE);
}

function update(id, st) {
  const c = S.byId.get(id);
  if (!c) return;
  c.st = st;
  const r = S.rows.get(id);
  if (r) {
    drawStates(r.querySelector('.states'), c.kind, st);
    r.classList.remove('flash');
    void r.offsetWidth; // restart the animation
    r.classList.add('flash');
    r.addEventListener('animationend', () => r.classList.remove('flash'), { once: true });
  }
  // A timed state ends with no event (an access unlock relocks silently):
  // look again when it should be over.
  const left = st.unlock_remaining_s || st.active_remaining_s || st.shunted_remaining_s || 0;
  if (left > 0 && S.mode === 'real' && !S.timers.has(id)) {
    S.timers.set(id, setTimeout(() => { S.timers.delete(id); markDirty(id); }, left * 1000 + 300));
  }
}

/** Takes a whole snapshot: every stored state, every drawn row. */
function apply(snap) {
  for (const list of [snap.gateways, snap.sites, snap.controllers, snap.doors, snap.readers, snap.inputs, snap.outputs]) {
    for (const st of list) {
      const c = S.byId.get(st.id);
      if (!c) continue;
      if (JSON.stringify(c.st) !== JSON.stringify(st)) update(st.id, st);
      S.stale.delete(st.id);
    }
  }
}

function sameComponents(snap) {
  const n = snap.gateways.length + snap.sites.length + snap.controllers.length + snap.doors.length + snap.readers.length + snap.inputs.length + snap.outputs.length;
  if (n !== S.byId.size) return false;
  return snap.doors.every((d) => S.byId.has(d.id)) && snap.readers.every((r) => S.byId.has(r.id));
}

function onEvents(evs) {
  journal.add(evs);
  let faults = false;
  for (const ev of evs) {
    if (ev.type === 990 || ev.type === 991) faults = true;
    if (ev.source) markDirty(ev.source);
    if (ev.door && ev.door !== ev.source) markDirty(ev.door);
  }
  if (faults) loadFaults();
}

// ---- faults -----------------------------------------------------------

let faultsLoading = null;
let faultsAgain = false;
async function loadFaults() {
  if (faultsLoading) {
    faultsAgain = true;
    return;
  }
  faultsLoading = (async () => {
    try {
      drawFaults((await api('GET', '/faults')).faults);
      showError($('faults-error'), null);
    } catch (x) {
      showError($('faults-error'), x);
    }
  })();
  await faultsLoading;
  faultsLoading = null;
  if (faultsAgain) {
    faultsAgain = false;
    loadFaults();
  }
}

function faultWords(f) {
  const p = f.params ? Object.entries(f.params).map(([k, v]) => `${k}=${v}`) : [];
  const m = f.match ? Object.entries(f.match).map(([k, v]) => `${k}=${v}`) : [];
  const w = f.when ? Object.entries(f.when).map(([k, v]) => `${k}=${v}`) : [];
  return `${f.target}:${f.kind}` + [...p, ...m, ...w].map((x) => ' ' + x).join('');
}

function drawFaults(list) {
  const body = $('fault-list');
  body.replaceChildren(...list.map((f) => {
    const tr = h('tr', { 'data-fault': f.id },
      h('td', {}, f.id),
      h('td', {}, h('code', {}, faultWords(f)), f.last_error ? h('div', { class: 'error' }, f.last_error) : null),
      h('td', {}, h('span', { class: `state s-${f.state === 'active' ? 'bad' : f.state === 'failed' ? 'warn' : 'off'}` }, f.state)),
      h('td', {}, `${f.matched}/${f.fired}`));
    const btn = h('button', {
      type: 'button', 'aria-label': `Remove fault ${f.id}`,
      onclick: async () => {
        btn.disabled = true;
        try {
          await api('DELETE', `/faults/${encodeURIComponent(f.id)}`);
          showError($('faults-error'), null);
          loadFaults();
        } catch (x) {
          showError($('faults-error'), x);
          btn.disabled = false;
        }
      },
    }, 'Remove');
    tr.append(h('td', {}, btn));
    return tr;
  }));
  $('faults-empty').hidden = list.length > 0;
  $('fault-table').hidden = list.length === 0;
}

let vocabulary = null;
function setupFaultForm(voc) {
  vocabulary = voc;
  const target = $('fault-target');
  target.replaceChildren(...voc.targets.map((t) => h('option', { value: t }, t)));
  target.value = 'site';
  target.addEventListener('change', kindsFor);
  $('fault-kind').addEventListener('change', fieldsFor);
  kindsFor();
  $('fault-form').addEventListener('submit', addFault);
}

function kindsFor() {
  const t = $('fault-target').value;
  const kinds = vocabulary.kinds.filter((k) => k.targets.includes(t));
  $('fault-kind').replaceChildren(...kinds.map((k) => h('option', { value: k.kind }, k.kind)));
  fieldsFor();
}

function field(group, f, hint) {
  const id = `fault-${group}-${f.name}`;
  return [h('label', { for: id }, f.name + (hint ? ` (${hint})` : '')),
    h('input', { id, 'data-group': group, 'data-name': f.name, 'data-type': f.type,
      placeholder: f.type === 'duration' ? '30s' : f.type, inputmode: f.type === 'integer' || f.type === 'number' ? 'decimal' : null })];
}

function fieldsFor() {
  const k = vocabulary.kinds.find((x) => x.kind === $('fault-kind').value);
  if (!k) return;
  $('fault-params').replaceChildren(...k.params.flatMap((p) => field('params', p, k.hardware && p.name === 'id' ? k.component : '')));
  $('fault-match').replaceChildren(...(k.hardware ? [] : vocabulary.match.flatMap((m) => field('match', m))));
  $('fault-when').replaceChildren(...vocabulary.when.filter((w) => !k.hardware || w.hardware).flatMap((w) => field('when', w)));
}

/** A typed value from a form field: numbers as numbers; what is not a number is sent as typed, for the API to name it. */
function typed(input) {
  const v = input.value.trim();
  if ((input.dataset.type === 'integer' || input.dataset.type === 'number') && v !== '' && !Number.isNaN(Number(v))) return Number(v);
  return v;
}

async function addFault(e) {
  e.preventDefault();
  const f = { target: $('fault-target').value, kind: $('fault-kind').value };
  for (const input of $('fault-form').querySelectorAll('input[data-group]')) {
    if (input.value.trim() === '') continue;
    const g = input.dataset.group;
    f[g] = f[g] || {};
    f[g][input.dataset.name] = typed(input);
  }
  try {
    await post('/faults', f);
    showError($('fault-error'), null);
    loadFaults();
  } catch (x) {
    showError($('fault-error'), x);
  }
}

// ---- clock ------------------------------------------------------------

let clockBase = null; // {ms, offset, at}
function setClock(c) {
  S.mode = c.mode;
  $('clock-mode').textContent = c.mode;
  $('clock-advance').hidden = c.mode !== 'virtual';
  const m = /([+-]\d\d):(\d\d)$/.exec(c.time);
  const offset = m ? Math.sign(Number(m[1])) * (Math.abs(Number(m[1])) * 60 + Number(m[2])) : 0;
  clockBase = { ms: Date.parse(c.time), offset, at: Date.now(), zone: m ? `${m[1]}:${m[2]}` : 'UTC' };
  drawClock();
}

function drawClock() {
  if (!clockBase) return;
  let ms = clockBase.ms;
  if (S.mode === 'real') ms += Date.now() - clockBase.at;
  const local = new Date(ms + clockBase.offset * 60000).toISOString().slice(0, 19).replace('T', ' ');
  $('clock-time').textContent = `${local} ${clockBase.zone}`;
  $('clock-time').setAttribute('datetime', new Date(ms).toISOString());
}

// clockMoved: another client (or this page) advanced the clock; what its
// timers changed without an event shows now.
function clockMoved(c) {
  setClock(c);
  for (const id of S.rows.keys()) S.dirty.add(id);
  scheduleRefresh();
  loadFaults(); // a fault's start_after or for may have run out
}

function setupClock() {
  for (const b of document.querySelectorAll('[data-advance]')) {
    b.addEventListener('click', async () => {
      try {
        setClock(await post('/clock/advance', { seconds: Number(b.dataset.advance) }));
        showError($('clock-error'), null);
        // Timers fired: what they changed without an event shows now.
        for (const id of S.rows.keys()) S.dirty.add(id);
        scheduleRefresh();
      } catch (x) {
        showError($('clock-error'), x);
      }
    });
  }
  // The display ticks on its own; the API is not asked.
  setInterval(() => { if (S.mode === 'real') drawClock(); }, 1000);
}

// ---- card users -------------------------------------------------------

let users = [];
async function findUsers(text) {
  try {
    const p = await api('GET', `/cardusers?limit=50${text ? '&q=' + encodeURIComponent(text) : ''}`);
    users = p.card_users;
    const sel = $('card-user');
    const more = p.total > users.length ? ` (first ${users.length} of ${p.total})` : '';
    sel.replaceChildren(h('option', { value: '' }, `— ${users.length ? 'pick a card user' + more : 'no card user found'} —`),
      ...users.map((u, i) => h('option', { value: String(i) }, `${u.name} — ${u.cards.join(', ')}${u.pin ? ' (PIN)' : ''}`)));
  } catch (x) {
    showError($('decision'), x);
  }
}

function setupCard() {
  let t = 0;
  $('user-search').addEventListener('input', (e) => {
    clearTimeout(t);
    t = setTimeout(() => findUsers(e.target.value.trim()), 200);
  });
  $('card-user').addEventListener('change', (e) => {
    const u = users[Number(e.target.value)];
    if (!u || e.target.value === '') return;
    $('card-number').value = u.cards[0] || '';
    $('card-pin').value = u.pin || '';
  });
  $('card-form').addEventListener('submit', (e) => e.preventDefault());
}

// ---- find ---------------------------------------------------------------

function setupFind() {
  let t = 0;
  const box = $('find-results');
  $('find').addEventListener('input', (e) => {
    clearTimeout(t);
    t = setTimeout(() => {
      const q = e.target.value.trim().toLowerCase();
      if (!q) {
        box.hidden = true;
        return;
      }
      const id = Number(q.replace(/^#/, ''));
      const hits = [];
      if (Number.isInteger(id) && S.byId.has(id)) hits.push(id);
      for (const [name, i] of S.names) {
        if (hits.length >= 20) break;
        if (i !== id && name.includes(q)) hits.push(i);
      }
      box.replaceChildren(...hits.map((i) => {
        const c = S.byId.get(i);
        return h('li', {}, h('button', { type: 'button', onclick: () => reveal(i) }, `${c.kind} ${c.st.name} #${i}`));
      }));
      if (!hits.length) box.append(h('li', { class: 'muted' }, 'nothing found'));
      box.hidden = false;
    }, 150);
  });
}

// ---- start ------------------------------------------------------------

const journal = new Journal($('journal'), $('journal-spacer'), $('journal-rows'), $('journal-count'), $('journal-follow'));

function setConn(state) {
  const el = $('conn');
  el.className = `conn conn-${state}`;
  el.textContent = state === 'live' ? 'live' : state === 'down' ? 'disconnected — reconnecting…' : 'connecting…';
  document.body.dataset.conn = state;
}

async function resync() {
  try {
    const snap = await api('GET', '/site');
    if (sameComponents(snap)) apply(snap);
    else drawTree(snap);
    setClock(await api('GET', '/clock'));
    loadFaults();
  } catch { /* still away: the stream's next return tries again */ }
}

async function start() {
  setupClock();
  setupCard();
  setupFind();
  $('journal-filter').addEventListener('input', (e) => journal.setFilter(e.target.value));
  $('reset-site').addEventListener('click', async () => {
    try {
      await post('/reset');
      showError($('site-error'), null);
      resync();
    } catch (x) {
      showError($('site-error'), x);
    }
  });
  $('faults-refresh').addEventListener('click', loadFaults);
  try {
    const [head, clock, voc] = await Promise.all([
      api('GET', `/events?after=${MAX_U64}`), api('GET', '/clock'), api('GET', '/fault-kinds')]);
    setClock(clock);
    setupFaultForm(voc);
    const snap = await api('GET', '/site');
    drawTree(snap);
    document.body.dataset.ready = '1';
    // Since navigation start: what a person waits before seeing the site.
    window.pacsimPanel = { firstRender: performance.now() };
    // The recent past first, then the stream from where it ends.
    const hist = await api('GET', `/events?after=${Math.max(0, head.last - 200)}&limit=200`);
    journal.add(hist.events.filter((e) => e.seq <= head.last));
    new Stream(head.last, { onBatch: onEvents, onMissed: (n) => journal.noteMissed(n), onState: setConn, onReconnect: resync, onClock: clockMoved });
    loadFaults();
    findUsers('');
  } catch (x) {
    setConn('down');
    $('tree').replaceChildren(h('p', { class: 'error', role: 'alert' }, `The site could not be loaded: ${x}`));
  }
}

start();
