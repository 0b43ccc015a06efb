package control

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/sim"
)

// Event limits of GET /v1/events.
const (
	// DefaultEventLimit is how many events a page holds when no limit is given.
	DefaultEventLimit = 1000
	// MaxEventLimit is the largest limit a page takes.
	MaxEventLimit = 10000
)

// streamBatch is how many events a stream reads from the journal at once.
const streamBatch = 512

// DefaultRetry is the reconnection delay an event stream tells its client.
const DefaultRetry = 2 * time.Second

// Event is a journal event as the API shows it, both in GET /v1/events and
// in the event stream. Empty fields are left out of its JSON, except Seq,
// Time, Type, Text and Source; Granted is present on access events only.
type Event struct {
	// Seq is the journal sequence number (1 is the first event).
	Seq uint64 `json:"seq"`
	// Time is when it happened, on the site clock and in the site's zone.
	Time time.Time `json:"time"`
	// Type is the numeric event type (82 door forced open, 202 access
	// granted, 204–215 access denied, …).
	Type sim.EventType `json:"type"`
	// Text is the type in words, as EntraPass shows it ("Access granted").
	Text string `json:"text"`
	// Kind is the kind of the source component: "door", "reader", "input",
	// "output", "controller" or "gateway".
	Kind string `json:"kind,omitempty"`
	// Source is the id of the component the event is about: the reader of
	// an access event, the door of a door event, …
	Source sim.ID `json:"source"`
	// SourceName is the source's name.
	SourceName string `json:"source_name,omitempty"`
	// Door is the door of a door, reader or access event.
	Door sim.ID `json:"door,omitempty"`
	// DoorName is the door's name.
	DoorName string `json:"door_name,omitempty"`
	// Controller is the controller the source hangs off.
	Controller sim.ID `json:"controller,omitempty"`
	// Card is the card presented, normalised ("100:1001").
	Card string `json:"card,omitempty"`
	// User is the card user's name, when the card is known.
	User string `json:"user,omitempty"`
	// Granted tells, for an access event, whether access was granted.
	Granted bool `json:"granted,omitempty"`
	// Reason is why access was denied ("outside-schedule", …).
	Reason string `json:"reason,omitempty"`
	// Value is a number the event carries: the seconds of a temporary
	// unlock, activation or shunt.
	Value int `json:"value,omitempty"`
	// Fault is the fault of a "Fault added" or "Fault removed" event (types
	// 990, 991), as GET /v1/faults shows it: its id, kind, parameters and
	// state ("removed" once removed). Such an event's source is the
	// component of a hardware fault, 0 for a transport fault.
	Fault json.RawMessage `json:"fault,omitempty"`
}

// IsAccess reports whether e is an access granted or denied event.
func (e Event) IsAccess() bool { return e.Type.IsAccess() }

// MarshalJSON writes e, with "granted" present (true or false) on access
// events and absent on the others.
func (e Event) MarshalJSON() ([]byte, error) {
	type plain Event
	v := struct {
		plain
		Granted *bool `json:"granted,omitempty"`
	}{plain: plain(e)}
	if e.Type.IsAccess() {
		v.Granted = &e.Granted
	}
	return json.Marshal(v)
}

// EventPage is the answer of GET /v1/events.
type EventPage struct {
	// Events are the events asked for, oldest first.
	Events []Event `json:"events"`
	// Last is the sequence number of the newest event in the journal.
	Last uint64 `json:"last"`
	// Missed counts the events after the asked position that retention
	// already dropped.
	Missed uint64 `json:"missed"`
}

// view turns a journal event into its API form.
func (s *Server) view(e *sim.Event) Event {
	v := Event{
		Seq: e.Seq, Time: e.Time.In(s.loc), Type: e.Type, Text: e.Type.String(),
		Source: e.Source, SourceName: s.names[e.Source],
		Door: e.Door, Controller: e.Controller, Card: e.Card, User: e.User,
		Granted: e.Granted(), Value: e.Value,
	}
	if e.Kind != 0 {
		v.Kind = e.Kind.String()
	}
	if e.Door != 0 {
		v.DoorName = s.names[e.Door]
	}
	if e.Reason != sim.ReasonNone {
		v.Reason = e.Reason.String()
	}
	if !e.Type.OfSite() && json.Valid([]byte(e.Detail)) {
		v.Fault = json.RawMessage(e.Detail)
	}
	return v
}

// parseSeq reads a sequence number from a query parameter or header.
func parseSeq(name, raw string) (uint64, error) {
	n, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		return 0, badRequest("%s %q is not a sequence number: give a whole number >= 0", name, guard.Clip(raw))
	}
	return n, nil
}

// getEvents answers GET /v1/events?after=SEQ&limit=N.
func (s *Server) getEvents(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	var after uint64
	if raw := q.Get("after"); raw != "" {
		n, err := parseSeq("after", raw)
		if err != nil {
			return nil, err
		}
		after = n
	}
	limit := DefaultEventLimit
	if raw := q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > MaxEventLimit {
			return nil, badRequest("limit %q: give a whole number from 1 to %d", guard.Clip(raw), MaxEventLimit)
		}
		limit = n
	}
	j := s.world.Journal()
	evs, missed := j.Read(after, nil, limit)
	page := EventPage{Events: make([]Event, len(evs)), Last: j.Last(), Missed: missed}
	for i := range evs {
		page.Events[i] = s.view(&evs[i])
	}
	return page, nil
}

// getEventStream answers GET /v1/events/stream with server-sent events.
// It starts after the `after` query parameter, or the Last-Event-ID header
// of a reconnecting client (which wins), or else after the newest event.
func (s *Server) getEventStream(w http.ResponseWriter, r *http.Request) {
	j := s.world.Journal()
	after := j.Last()
	var err error
	if raw := r.Header.Get("Last-Event-ID"); raw != "" {
		after, err = parseSeq("Last-Event-ID", raw)
	} else if raw := r.URL.Query().Get("after"); raw != "" {
		after, err = parseSeq("after", raw)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	if err := s.beginStream(); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: err.Error()})
		return
	}
	defer s.endStream()

	st := guard.NewStream(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	var buf bytes.Buffer
	send := func() bool {
		_, err := st.Write(buf.Bytes())
		buf.Reset()
		return err == nil
	}
	buf.WriteString("retry: ")
	buf.WriteString(strconv.FormatInt(DefaultRetry.Milliseconds(), 10))
	buf.WriteString("\n\n")
	if !send() {
		return
	}

	cur := j.Cursor(after)
	var batch []sim.Event
	var missedSent uint64
	tick := time.NewTicker(s.keepAlive)
	defer tick.Stop()
	moved := s.clockNote.moved()
	for {
		batch = cur.Next(batch[:0], streamBatch)
		if m := cur.Missed(); m > missedSent {
			buf.WriteString("event: missed\ndata: {\"missed\":")
			buf.WriteString(strconv.FormatUint(m-missedSent, 10))
			buf.WriteString("}\n\n")
			missedSent = m
		}
		for i := range batch {
			s.writeSSE(&buf, &batch[i])
		}
		if buf.Len() > 0 {
			if !send() {
				return
			}
			select { // a busy journal must not keep a stream past its end
			case <-r.Context().Done():
				return
			case <-s.done:
				return
			default:
			}
			continue // drain what is there before waiting
		}
		select {
		case <-cur.Wait():
		case <-moved:
			// After the events the advance journaled, which the next
			// round sends first.
			moved = s.clockNote.moved()
			for b := cur.Next(batch[:0], streamBatch); len(b) > 0; b = cur.Next(batch[:0], streamBatch) {
				for i := range b {
					s.writeSSE(&buf, &b[i])
				}
				if !send() {
					return
				}
			}
			data, _ := json.Marshal(s.clockState())
			buf.WriteString("event: clock\ndata: ")
			buf.Write(data)
			buf.WriteString("\n\n")
			if !send() {
				return
			}
		case <-tick.C:
			buf.WriteString(": keep-alive\n\n")
			if !send() {
				return
			}
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
}

// writeSSE appends one event in server-sent-event form.
func (s *Server) writeSSE(buf *bytes.Buffer, e *sim.Event) {
	v := s.view(e)
	data, err := json.Marshal(v)
	if err != nil {
		return // cannot happen: Event has only plain fields
	}
	name := v.Kind
	switch {
	case e.Type.IsAccess():
		name = "access"
	case e.Type == sim.EventFaultAdded:
		name = "fault-added"
	case e.Type == sim.EventFaultRemoved:
		name = "fault-removed"
	case name == "":
		name = "event"
	}
	buf.WriteString("id: ")
	buf.WriteString(strconv.FormatUint(e.Seq, 10))
	buf.WriteString("\nevent: ")
	buf.WriteString(name)
	buf.WriteString("\ndata: ")
	buf.Write(data)
	buf.WriteString("\n\n")
}
