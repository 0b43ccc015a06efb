package entrapass

import (
	"context"
	"hash/maphash"
	"log/slog"
	"strings"
	"time"

	"github.com/pacsim/pacsim/driver/asset"
)

// Event delivery, exactly once.
//
// SmartService event rows carry no id. An Events poll returns what the
// session's queue gathered since the previous poll, and a new session's
// queue starts at its login; whatever happened between the last poll of a
// lost session and the next login is only in the history
// (Events?startDate=). So, after every login but the first (and after any
// failed cycle), the driver reads the history and delivers what it has not
// delivered yet, keyed as SPEC §2 says — (UDT, ETXT, P1TXT…P4TXT) — and
// counted: the n-th occurrence of a key is new when fewer than n were
// delivered.
//
// An event delivered from the history may also come through the new
// session's queue (it happened after the login, or a controller released it
// late): each one delivered from the history leaves a credit that the next
// queued event with the same key uses up instead of being delivered again.
// A credit could swallow a genuinely new event only if it had the very same
// key — the same second, text, door, user, card and reader — which is the
// price of rows without ids.
//
// Keys are kept as 64-bit hashes for the events of the last three days of
// event time; the history is never read further back than that, nor before
// the driver's first login (events from before it were never the driver's
// to deliver).

// keepEvents is how long, in event time, delivered keys are remembered.
const keepEvents = 72 * time.Hour

// keepKeys bounds the keys remembered, whatever keepEvents says: at 10,000
// events a second three days of keys would be billions. A history answer
// holds at most one batch (1000 rows by default), so only the newest keys
// can meet it again; a million (about 40 MB) is a wide margin. Older keys
// are forgotten first.
var keepKeys = 1 << 20 // a variable only so a test can lower it

type eventLog struct {
	seed   maphash.Seed
	count  map[uint64]uint32 // delivered occurrences per key
	credit map[uint64]uint32 // delivered from the history, may come again by the queue
	order  logQueue          // delivery order, for pruning
	latest time.Time         // latest event time delivered

	// tail holds the keys, in full, of the events delivered in the latest
	// second, for the state file (resume.go); kept only with one.
	keepTail bool
	tail     map[[6]string]uint32
	tailSec  int64
}

// logged is a delivered key and its event time. The time is kept as its
// instant (Unix seconds and nanoseconds), so the delivery order holds no
// pointer: it can hold three days of events, which the garbage collector
// then need not scan.
type logged struct {
	sec  int64
	nsec int32
	h    uint64
}

// logQueue is the delivery order: a queue of logged keys kept in blocks of
// logBlock, so that appending never copies what is queued (three days of
// events can be millions) and pruning frees whole blocks.
type logQueue struct {
	blocks [][]logged // each of capacity logBlock; the oldest entry is blocks[0][head]
	head   int
	n      int // entries queued
}

const logBlock = 4096

func (q *logQueue) push(g logged) {
	n := len(q.blocks)
	if n == 0 || len(q.blocks[n-1]) == logBlock {
		q.blocks = append(q.blocks, make([]logged, 0, logBlock))
		n++
	}
	q.blocks[n-1] = append(q.blocks[n-1], g)
	q.n++
}

// front returns the oldest entry, nil when the queue is empty.
func (q *logQueue) front() *logged {
	if len(q.blocks) == 0 || q.head == len(q.blocks[0]) {
		return nil
	}
	return &q.blocks[0][q.head]
}

// pop drops the oldest entry (there is one).
func (q *logQueue) pop() {
	q.n--
	q.head++
	if q.head == logBlock { // blocks[0] is full and done with
		q.blocks[0] = nil
		q.blocks = q.blocks[1:]
		q.head = 0
	}
}

// zeroSec is the Unix second of the zero time.Time (year 1, UTC).
var zeroSec = time.Time{}.Unix()

func (g *logged) isZero() bool { return g.sec == zeroSec && g.nsec == 0 }

// before is time.Time.Before.
func (g *logged) before(t time.Time) bool {
	s := t.Unix()
	return g.sec < s || g.sec == s && g.nsec < int32(t.Nanosecond())
}

func newEventLog() *eventLog {
	return &eventLog{seed: maphash.MakeSeed(), count: map[uint64]uint32{}, credit: map[uint64]uint32{}}
}

func (l *eventLog) hash(e *Event) uint64 {
	var h maphash.Hash
	h.SetSeed(l.seed)
	h.WriteString(normSpaces(e.UDT))
	for _, s := range [...]string{e.Text, e.P1, e.P2, e.P3, e.P4} {
		h.WriteByte(0x1f)
		h.WriteString(s)
	}
	return h.Sum64()
}

func (l *eventLog) record(e *Event, h uint64) {
	l.count[h]++
	l.order.push(logged{sec: e.Time.Unix(), nsec: int32(e.Time.Nanosecond()), h: h})
	if e.Time.After(l.latest) {
		l.latest = e.Time
	}
	if l.keepTail {
		l.recordTail(e)
	}
}

// recordTail keeps e's key in full if it is of the latest second.
func (l *eventLog) recordTail(e *Event) {
	sec := e.Time.Unix()
	switch {
	case l.tail == nil || sec > l.tailSec:
		l.tail, l.tailSec = map[[6]string]uint32{}, sec
	case sec < l.tailSec:
		return
	}
	l.tail[[6]string{normSpaces(e.UDT), e.Text, e.P1, e.P2, e.P3, e.P4}]++
}

// fromQueue reports whether a queued event is to be delivered.
func (l *eventLog) fromQueue(e *Event) bool {
	h := l.hash(e)
	if c := l.credit[h]; c > 0 {
		if c == 1 {
			delete(l.credit, h)
		} else {
			l.credit[h] = c - 1
		}
		return false
	}
	l.record(e, h)
	return true
}

// fromHistory returns the events of a history answer not delivered yet, in
// order. Events older than floor are ignored.
func (l *eventLog) fromHistory(evs []Event, floor time.Time) []Event {
	seen := map[uint64]uint32{}
	var out []Event
	for i := range evs {
		e := &evs[i]
		if !e.Time.IsZero() && e.Time.Before(floor) {
			continue
		}
		h := l.hash(e)
		seen[h]++
		if seen[h] > l.count[h] {
			l.record(e, h)
			l.credit[h]++
			out = append(out, *e)
		}
	}
	return out
}

// horizon is the oldest event time whose keys are all remembered.
func (l *eventLog) horizon() time.Time {
	if l.latest.IsZero() {
		return time.Time{}
	}
	return l.latest.Add(-keepEvents)
}

// prune forgets the keys of events older than the horizon, and the oldest
// beyond keepKeys.
func (l *eventLog) prune() {
	hz := l.horizon()
	for g := l.order.front(); g != nil && (l.order.n > keepKeys || !g.isZero() && g.before(hz)); g = l.order.front() {
		h := g.h
		if c := l.count[h]; c <= 1 {
			delete(l.count, h)
			delete(l.credit, h)
		} else {
			l.count[h] = c - 1
		}
		l.order.pop()
	}
}

// Event texts the driver acts on (SPEC §2's event rows; EntraPass texts).
const (
	textAccessGranted     = "Access granted"
	textAccessDenied      = "Access denied"
	textGatewayDisconnect = "Gateway disconnected"
	textGatewayConnected  = "Gateway connected"
	cardStatusUnknown     = "Unknown"
)

// deliver turns delivered events into workflow events.
func (d *Driver) deliver(ctx context.Context, evs []Event) {
	for i := range evs {
		e := &evs[i]
		if !e.Time.IsZero() && !e.Local.IsZero() {
			d.offset = e.Local.Sub(e.Time).Round(15 * time.Minute)
			d.offsetKnown = true
		}
		if e.Time.After(d.lastServerTime) {
			d.lastServerTime = e.Time
		}
		d.delivered++
		switch text := e.Text; {
		case hasPrefixFold(text, textAccessGranted):
			d.meter.event(evAccessGranted)
			d.access(ctx, e, true)
		case hasPrefixFold(text, textAccessDenied):
			d.meter.event(evAccessDenied)
			d.access(ctx, e, false)
		case strings.EqualFold(text, textGatewayDisconnect):
			d.meter.event(evGatewayDisconnected)
			d.gateway(e, false)
		case strings.EqualFold(text, textGatewayConnected):
			d.meter.event(evGatewayConnected)
			d.gateway(e, true)
		default:
			d.meter.event(evOther)
		}
	}
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// access publishes the Last Access Event of an access row on its door and
// the door's reader.
func (d *Driver) access(ctx context.Context, e *Event, granted bool) {
	ids := d.topo.doorNames[e.P1]
	if len(ids) != 1 {
		d.log.Warn("entrapass: an access event names no single known door; it was not published",
			"door", e.P1, "matches", len(ids), "event", e.Text, "time", e.UDT)
		return
	}
	door := ids[0]
	info := d.card(ctx, e.P3, !granted && !deniedBeyondCard(e.Text))
	at := e.Time
	if at.IsZero() {
		at = e.Local
	}
	base := asset.LastAccessEvent{
		Username:        e.P2,
		BadgeTemplateID: info.badging,
		DateTime:        at,
		CardID:          e.P3,
		AccessGranted:   granted,
		Description:     e.Text,
		CardStatus:      info.status,
	}
	// One allocation for the two events (they go to the bus, so to the heap).
	pair := &[2]asset.LastAccessEvent{base, base}
	onDoor, onReader := &pair[0], &pair[1]
	onDoor.Ref = asset.Ref{Type: asset.Door, ID: door}
	onDoor.ParentID, onDoor.ParentType = door, asset.Reader // the reader used, reader/<door>
	onReader.Ref = asset.Ref{Type: asset.Reader, ID: door}
	onReader.ParentID, onReader.ParentType = door, asset.Door // the reader's door
	for _, ev := range [...]*asset.LastAccessEvent{onDoor, onReader} {
		if err := d.reg.PublishAccess(ev); err != nil {
			d.log.Warn("entrapass: a Last Access Event could not be published", "error", err)
		}
	}
	// Checked first: the arguments would be allocated even when the line is
	// not logged.
	if d.log.Enabled(context.Background(), slog.LevelDebug) {
		d.log.Debug("entrapass: access", "door", e.P1, "reader", e.P4, "granted", granted, "event", e.Text)
	}
}

// gateway publishes a Gateway Connection Changed.
func (d *Driver) gateway(e *Event, connected bool) {
	ev := &asset.GatewayConnectionChanged{GatewayName: e.P1, GatewayConnectedState: connected}
	if g, ok := d.topo.gatewayByName(e.P1); ok {
		ev.GatewayID = g.id
	} else {
		d.log.Warn("entrapass: a gateway event names an unknown gateway; Gateway ID is 0", "gateway", e.P1)
	}
	d.reg.PublishGateway(ev)
	d.log.Info("entrapass: gateway connection changed", "gateway", e.P1, "id", ev.GatewayID, "connected", connected)
}

// deniedBeyondCard reports whether a denial's text names a reason that is
// not the card's state ("Access denied - outside schedule"): the cached card
// is then as good as a fresh one, and the look-up, a round trip per denied
// event, is spared. Any other text, a card reason or one not known, looks
// the card up again.
func deniedBeyondCard(text string) bool {
	_, reason, ok := strings.Cut(text, " - ")
	if !ok {
		return false
	}
	reason = strings.TrimSpace(reason)
	for _, r := range reasonsBeyondCard {
		if strings.EqualFold(reason, r) {
			return true
		}
	}
	return false
}

// reasonsBeyondCard are the denial reasons (SPEC §2's "Access denied -
// <reason>") that say nothing of the card's state: the door, the reader,
// the schedule, the PIN or the controller refused a card in good standing.
var reasonsBeyondCard = [...]string{
	"no access level for this door", "outside schedule", "reader disabled", "wrong card type",
	"PIN required", "wrong PIN", "controller offline",
}
