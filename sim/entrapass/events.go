package entrapass

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// Event colours: CL is an RGB colour the GO app shows (%06X), CLT a
// category 0–11. The values per category are our reading; the reference
// only says what the keys are.
const (
	clInfo    = 0x000000 // black: door and relay activity
	clGranted = 0x008000 // green
	clDenied  = 0xFF0000 // red
	clAlarm   = 0xFF0000 // red: forced, open too long, input alarm, tamper
	clTrouble = 0xFF8000 // orange: faults, communication failures
	clRestore = 0x0000FF // blue: restores

	cltInfo    = 0
	cltGranted = 1
	cltDenied  = 2
	cltAlarm   = 3
	cltTrouble = 4
	cltRestore = 5
)

// eventClass returns an event's CL and CLT.
func eventClass(t sim.EventType) (int64, int64) {
	if t == sim.EventAccessGranted {
		return clGranted, cltGranted
	}
	if _, denied := t.Denial(); denied {
		return clDenied, cltDenied
	}
	switch t {
	case sim.EventDoorForcedOpen, sim.EventDoorOpenTooLong, sim.EventDoorOpenPrealarm,
		sim.EventInputAlarm, sim.EventInputTamper:
		return clAlarm, cltAlarm
	case sim.EventControllerCommFailure, sim.EventControllerFault, sim.EventGatewayDisconnected,
		sim.EventReaderFault, sim.EventInputTrouble, sim.EventOutputFault, sim.EventOutputTrouble:
		return clTrouble, cltTrouble
	case sim.EventControllerCommRestored, sim.EventControllerFaultRestore, sim.EventGatewayConnected,
		sim.EventReaderFaultRestore, sim.EventInputRestore, sim.EventInputTamperRestore,
		sim.EventInputTroubleRestore, sim.EventOutputFaultRestore, sim.EventOutputTroubleRestore:
		return clRestore, cltRestore
	}
	return clInfo, cltInfo
}

// eventEncoder writes journal events as SmartLinkDataRows. Consecutive
// events of the same second share their formatted dates, which is most of
// the cost of a row otherwise.
type eventEncoder struct {
	topo    *topology
	loc     *time.Location
	sec     int64
	have    bool
	dt, udt string
}

// row writes one event row: DT (site time), UDT (UTC), ETXT, P1TXT…P4TXT,
// CL, CLT, VVIEW. An access event names the door, the card user, the card
// and the reader; any other event names its component in P1TXT. VVIEW is 0:
// no camera view is linked.
func (e *eventEncoder) row(rw *wire.RowWriter, ev *sim.Event) {
	if sec := ev.Time.Unix(); !e.have || sec != e.sec {
		e.sec, e.have = sec, true
		e.dt = ev.Time.In(e.loc).Format(wire.DateLayout)
		e.udt = ev.Time.UTC().Format(wire.DateLayout)
	}
	var p1, p2, p3, p4 string
	if ev.Type.IsAccess() {
		p1, p2, p3, p4 = e.topo.name(ev.Door), ev.User, ev.Card, e.topo.name(ev.Source)
	} else {
		p1 = e.topo.name(ev.Source)
	}
	cl, clt := eventClass(ev.Type)
	rw.Row()
	rw.Item("DT", e.dt)
	rw.Item("UDT", e.udt)
	rw.Item("ETXT", ev.Type.String())
	rw.Item("P1TXT", p1)
	rw.Item("P2TXT", p2)
	rw.Item("P3TXT", p3)
	rw.Item("P4TXT", p4)
	rw.ItemInt("CL", cl)
	rw.ItemInt("CLT", clt)
	rw.ItemInt("VVIEW", 0)
	rw.EndRow()
}

// eventBuf returns a pooled event buffer.
func (s *Server) eventBuf() *[]sim.Event {
	if p, ok := s.eventPool.Get().(*[]sim.Event); ok {
		*p = (*p)[:0]
		return p
	}
	b := make([]sim.Event, 0, min(s.batch, 4096))
	return &b
}

func (s *Server) putEventBuf(p *[]sim.Event) {
	if cap(*p) <= 1<<16 {
		clear(*p) // drop the strings the events hold
		s.eventPool.Put(p)
	}
}

// events answers GET Events and GET EventsAndStayAlive: the events queued
// for the session since its previous poll (since its login for the first),
// at most the batch size, oldest first; the rest come with the next poll.
// The queue is the session's cursor in the world's journal: no event is
// copied per session, and a cursor that fell behind retention goes on from
// the oldest event kept. With startDate=yyyy-MM-dd it answers the history
// from that day instead and leaves the queue alone.
func (s *Server) events(c *call) ([]byte, *wire.Fault) {
	if sd, _ := c.q.get("startdate"); strings.TrimSpace(sd) != "" {
		return s.history(c, strings.TrimSpace(sd))
	}
	buf := s.eventBuf()
	defer s.putEventBuf(buf)
	enc := eventEncoder{topo: s.topo, loc: s.world.Location()}
	rw := c.rows()
	sess := c.sess
	sess.mu.Lock()
	*buf = sess.cursor.Next(*buf, s.batch)
	sess.mu.Unlock()
	for i := range *buf {
		if ev := &(*buf)[i]; ev.Type.OfSite() { // a fault added is not the site's
			enc.row(rw, ev)
		}
	}
	return rw.End(), nil
}

// historyChunk is how many journal events a history scan reads at a time.
const historyChunk = 4096

// history answers Events?startDate=: the journal's events whose time is on
// or after that day (midnight, site zone), at most the batch size. When
// more match, the newest batch is given: a client recovering from an
// outage needs the recent past, and the events since its login come
// through its queue anyway. Rows are in journal (delivery) order. The
// journal has no time index and events held behind a cut controller keep
// their earlier time, so the scan goes back from the newest event until it
// has a batch or reaches the oldest event kept.
func (s *Server) history(c *call, sd string) ([]byte, *wire.Fault) {
	loc := s.world.Location()
	var day time.Time
	var err error
	for _, layout := range []string{"2006-01-02", wire.DateLayout, "2006-01-02T15:04:05"} {
		if day, err = time.ParseInLocation(layout, sd, loc); err == nil {
			break
		}
	}
	if err != nil {
		return nil, wire.InvalidParameter("startDate", fmt.Sprintf("%q is not a date (yyyy-MM-dd)", clip(sd)))
	}
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)

	j := s.world.Journal()
	chunk := s.eventBuf()
	defer s.putEventBuf(chunk)
	var found []sim.Event
	first, hi := j.First(), j.Last()
	for hi >= first && hi > 0 && len(found) < s.batch {
		lo := first
		if hi-first+1 > historyChunk {
			lo = hi - historyChunk + 1
		}
		*chunk, _ = j.Read(lo-1, (*chunk)[:0], int(hi-lo+1))
		for i := len(*chunk) - 1; i >= 0 && len(found) < s.batch; i-- {
			ev := &(*chunk)[i]
			// Retention may have moved under the scan: keep to [lo, hi].
			if ev.Seq >= lo && ev.Seq <= hi && !ev.Time.Before(day) && ev.Type.OfSite() {
				found = append(found, *ev)
			}
		}
		hi = lo - 1
		first = max(first, j.First())
	}
	slices.Reverse(found)
	enc := eventEncoder{topo: s.topo, loc: loc}
	rw := c.rows()
	for i := range found {
		enc.row(rw, &found[i])
	}
	return rw.End(), nil
}
