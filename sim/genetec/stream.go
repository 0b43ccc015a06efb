package genetec

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/genetec/query"
	"github.com/pacsim/pacsim/sim/genetec/wire"
)

// subscription is one event(source,EventType) of a session: source is an
// entity GUID, or an entity type meaning every entity of that type.
type subscription struct {
	source    string // GUID (lower-case, dashed) or type name
	isType    bool
	eventType string
}

// maxSubscriptions bounds what one session can subscribe to.
const maxSubscriptions = 10000

// parseSubscriptions reads event(source,EventType),… .
func (s *Server) parseSubscriptions(c *call) ([]subscription, error) {
	q, err := c.q()
	if err != nil {
		return nil, err
	}
	out := make([]subscription, 0, len(q.Terms))
	for i := range q.Terms {
		term := &q.Terms[i]
		if term.Op != query.OpCall || !strings.EqualFold(term.Name, "event") || len(term.Values) != 2 {
			return nil, invalidOp("%q: a subscription is event(<entity guid or type>,<EventType>)", clip(term.Raw))
		}
		src, et := term.Values[0], term.Values[1]
		if et.Kind != query.Text || !knownEventType(et.Text) {
			return nil, invalidValue("%q is not an event type the simulated Security Center raises (%s)", clip(et.String()), strings.Join(eventTypeNames(), ", "))
		}
		sub := subscription{eventType: canonicalEventType(et.Text)}
		switch {
		case src.Kind == query.Call && strings.EqualFold(src.Name, "LogicalID"):
			s.db.mu.RLock()
			e, err := s.db.begin(c.user, "").selectEntity(src)
			s.db.mu.RUnlock()
			if err != nil {
				return nil, err
			}
			sub.source = e.guid
		case src.Kind == query.Text:
			if g, ok := query.NormalizeGUID(src.Text); ok {
				if ok, _ := s.db.Exists(g); !ok {
					return nil, notFound(src.Text)
				}
				sub.source = g
			} else if t, ok := ParseType(src.Text); ok {
				sub.source, sub.isType = string(t), true
			} else {
				return nil, invalidValue("%q is neither an entity GUID nor an entity type", clip(src.Text))
			}
		default:
			return nil, invalidValue("%q is neither an entity GUID nor an entity type", clip(src.String()))
		}
		out = append(out, sub)
	}
	return out, nil
}

// allEventKinds are the event types the stream carries.
var allEventKinds = []eventKind{evAccessGranted, evAccessRefused, evDoorOpen, evDoorClose, evDoorForcedOpen,
	evDoorOpenedTooLong, evDoorLock, evDoorUnlock, evDoorManualUnlock, evDoorScheduleUnlock, evDoorRexOn,
	evUnitConnected, evUnitDisconnected, evCredentialExpired, evEntityWarning}

func knownEventType(s string) bool { return canonicalEventType(s) != "" }

func canonicalEventType(s string) string {
	for _, k := range allEventKinds {
		if strings.EqualFold(k.name, s) {
			return k.name
		}
	}
	return ""
}

func eventTypeNames() []string {
	out := make([]string, len(allEventKinds))
	for i, k := range allEventKinds {
		out[i] = k.name
	}
	return out
}

// subscribe is GET /events/subscribe?q=event(…),…: adds to the session's
// subscriptions (an existing one is not doubled).
func (s *Server) subscribe(c *call) (wire.Status, any, error) {
	subs, err := s.parseSubscriptions(c)
	if err != nil {
		return 0, nil, err
	}
	s.sessions.mu.Lock()
	defer s.sessions.mu.Unlock()
	next := slices.Clone(*c.sess.subs.Load())
	for _, sub := range subs {
		if !slices.Contains(next, sub) {
			next = append(next, sub)
		}
	}
	if len(next) > maxSubscriptions {
		return 0, nil, invalidOp("a session subscribes to at most %d event sources", maxSubscriptions)
	}
	c.sess.subs.Store(&next)
	return wire.Ok, nil, nil
}

// unsubscribe is GET /events/unsubscribe?q=event(…),…; unsubscribing what
// was not subscribed succeeds.
func (s *Server) unsubscribe(c *call) (wire.Status, any, error) {
	subs, err := s.parseSubscriptions(c)
	if err != nil {
		return 0, nil, err
	}
	s.sessions.mu.Lock()
	defer s.sessions.mu.Unlock()
	next := slices.DeleteFunc(slices.Clone(*c.sess.subs.Load()), func(x subscription) bool { return slices.Contains(subs, x) })
	c.sess.subs.Store(&next)
	return wire.Ok, nil, nil
}

// subscribed is GET /events/subscribed: [{"EventType":…,"Entities":[…]},…].
func (s *Server) subscribed(c *call) (wire.Status, any, error) {
	subs := *c.sess.subs.Load()
	var order []string
	by := map[string][]any{}
	for _, sub := range subs {
		if _, ok := by[sub.eventType]; !ok {
			order = append(order, sub.eventType)
		}
		by[sub.eventType] = append(by[sub.eventType], sub.source)
	}
	out := []any{}
	for _, et := range order {
		out = append(out, wire.NewObject(2).Set("EventType", et).Set("Entities", by[et]))
	}
	return wire.Ok, out, nil
}

// closeConnection is POST /events/closeconnection/{id}.
func (s *Server) closeConnection(c *call) (wire.Status, any, error) {
	id := strings.ToLower(mux.Vars(c.r)["id"])
	st := s.sessions.findStream(c.sess, id)
	if st == nil {
		return 0, nil, invalidOp("no open event connection %s in this session", clip(id))
	}
	st.close()
	return wire.Ok, nil, nil
}

// stream is one open GET /events connection.
type stream struct {
	id   string
	sess *session
	done chan struct{}
	once sync.Once
}

func (st *stream) close() { st.once.Do(func() { close(st.done) }) }

// batch is how many journal events a stream reads at a time.
const batch = 1024

// events is GET /events: the chunked event stream. It starts at the
// journal's end (what happens from now), writes ConnectionId first, then a
// part per event the session subscribed to, and KeepAlive after silence.
func (s *Server) events(c *call) {
	if _, ok := c.w.(http.Flusher); !ok {
		c.write(wire.Fail, nil, invalidOp("this connection cannot stream"))
		return
	}
	s.db.mu.Lock()
	id := s.db.newGUID()
	s.db.mu.Unlock()
	st := &stream{id: id, sess: c.sess, done: make(chan struct{})}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	if len(s.streams) >= guard.DefaultMaxStreams {
		s.mu.Unlock()
		c.write(wire.Fail, nil, invalidOp("the Web SDK already serves %d event streams, its most: close one and retry", guard.DefaultMaxStreams))
		return
	}
	s.streams[st] = true
	s.mu.Unlock()
	s.sessions.addStream(c.sess, st)
	defer func() {
		s.sessions.removeStream(c.sess, id)
		s.mu.Lock()
		delete(s.streams, st)
		s.mu.Unlock()
	}()

	j := s.world.Journal()
	cur := j.Cursor(j.Last())
	ctype := c.f.ContentType()
	// Each write bounded by its own deadline: a client that stops reading
	// is dropped, and the stream outlives the server's WriteTimeout.
	out := guard.NewStream(c.w)
	c.w.Header().Set("Content-Type", ctype)
	c.w.Header().Set("Cache-Control", "no-cache")
	c.w.WriteHeader(http.StatusOK)
	buf := wire.AppendConnectionID(make([]byte, 0, 64<<10), id)
	if _, err := out.Write(buf); err != nil {
		return
	}
	evs := make([]sim.Event, 0, batch)
	keep := time.NewTimer(s.keepAlive)
	defer keep.Stop()
	ctx := c.r.Context()
	var we wire.Event
	for {
		evs = cur.Next(evs[:0], batch)
		if len(evs) == 0 {
			select {
			case <-cur.Wait():
				continue
			case <-keep.C:
				if _, err := out.Write([]byte(wire.KeepAlive)); err != nil {
					return
				}
				keep.Reset(s.keepAlive)
				continue
			case <-ctx.Done():
				return
			case <-st.done:
				return
			}
		}
		subs := *c.sess.subs.Load()
		v := s.db.pub.Load()
		buf = buf[:0]
		for i := range evs {
			if !evs[i].Type.OfSite() { // a fault added is not the site's
				continue
			}
			k := v.toWire(&evs[i], &we)
			if len(subs) == 0 || !v.matches(subs, &we, k) {
				continue
			}
			buf = wire.AppendEventPart(buf, c.f, &we)
			if we.Reason == "ExpiredCredential" && we.CredentialGuid != "" {
				ce := wire.Event{EventType: evCredentialExpired.name, EventTypeID: evCredentialExpired.id,
					SourceGuid: we.CredentialGuid, Timestamp: we.Timestamp, CardholderGuid: we.CardholderGuid, CredentialGuid: we.CredentialGuid}
				if v.matches(subs, &ce, evCredentialExpired) {
					buf = wire.AppendEventPart(buf, c.f, &ce)
				}
			}
		}
		if len(buf) > 0 {
			if _, err := out.Write(buf); err != nil {
				return
			}
			keep.Reset(s.keepAlive)
		}
		select {
		case <-ctx.Done():
			return
		case <-st.done:
			return
		default:
		}
	}
}

// matches reports whether a session's subscriptions take event we.
func (v *view) matches(subs []subscription, we *wire.Event, k eventKind) bool {
	for i := range subs {
		sub := &subs[i]
		if sub.eventType != k.name {
			continue
		}
		if !sub.isType {
			if sub.source == we.SourceGuid || sub.source == we.DoorGuid || sub.source == we.ReaderGuid ||
				sub.source == we.AreaGuid || sub.source == we.CardholderGuid || sub.source == we.CredentialGuid {
				return true
			}
			continue
		}
		switch Type(sub.source) {
		case TypeDoor:
			if we.DoorGuid != "" {
				return true
			}
		case TypeArea:
			if we.AreaGuid != "" {
				return true
			}
		case TypeCredential:
			if we.CredentialGuid != "" {
				return true
			}
		case TypeCardholder, TypeVisitor:
			if h := v.byGUID[we.CardholderGuid]; h != nil && (h.typ == Type(sub.source) || sub.source == string(TypeCardholder)) {
				return true
			}
		case TypeDevice:
			if we.ReaderGuid != "" {
				return true
			}
		default:
			if e := v.byGUID[we.SourceGuid]; e != nil && e.typ == Type(sub.source) {
				return true
			}
		}
	}
	return false
}
