package entrapass

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// LastAccessKept is how many accesses LastDoorAccess keeps per door.
const LastAccessKept = 10

// accessLog keeps the last accesses of every door, read from the journal.
// It catches up lazily, when LastDoorAccess is asked, so that it costs
// nothing on the event path and needs no goroutine; what the server has
// heard is what the journal holds, held events included once delivered.
type accessLog struct {
	mu     sync.Mutex
	cursor *sim.Cursor
	buf    []sim.Event
	byDoor map[sim.ID][]access // oldest first, at most LastAccessKept
}

// access is one access (granted or denied) at a door.
type access struct {
	t       time.Time
	granted bool
	card    string
	user    string
}

func newAccessLog(j *sim.Journal) *accessLog {
	// From 0: the accesses the journal still holds from before the server
	// started count too.
	return &accessLog{cursor: j.Cursor(0), byDoor: map[sim.ID][]access{}}
}

// last returns door's accesses, newest first.
func (a *accessLog) last(door sim.ID) []access {
	a.mu.Lock()
	defer a.mu.Unlock()
	for {
		a.buf = a.cursor.Next(a.buf[:0], 4096)
		if len(a.buf) == 0 {
			break
		}
		for i := range a.buf {
			ev := &a.buf[i]
			if !ev.Type.IsAccess() || ev.Door == 0 {
				continue
			}
			l := append(a.byDoor[ev.Door], access{t: ev.Time, granted: ev.Granted(), card: ev.Card, user: ev.User})
			if len(l) > LastAccessKept {
				l = append(l[:0], l[len(l)-LastAccessKept:]...)
			}
			a.byDoor[ev.Door] = l
		}
	}
	clear(a.buf)
	l := a.byDoor[door]
	out := make([]access, len(l))
	for i := range l {
		out[len(l)-1-i] = l[i]
	}
	return out
}

// lastDoorAccess answers GET LastDoorAccess?id=<door>: one row whose items
// ACCESS1…ACCESSn are the door's last accesses, newest first, each
// "yyyy-MM-dd  HH:mm:ss <text> <card> <user>" with two spaces after the
// date (planqr's sample of a real answer). The text is "Access granted" or
// "Access denied": two words, because planqr splits the value on blanks
// and reads the status from words 2–3, the card from 4 and the user from 5.
// An unknown card has no user, so nothing follows its number. No access
// yet: an empty ArrayOfSmartLinkDataRow. accessType= is ignored.
func (s *Server) lastDoorAccess(c *call) ([]byte, *wire.Fault) {
	n, f := c.componentID()
	if f != nil {
		return nil, f
	}
	id := sim.ID(n)
	if s.topo.kinds[id] != sim.KindDoor {
		if _, ok := s.topo.kinds[id]; ok {
			return nil, notExist(fmt.Sprintf("Component %d is %s, not a door.", id, article(s.topo.kinds[id].String())))
		}
		return nil, wire.ComponentNotExist(fmt.Sprint(id))
	}
	list := s.access.last(id)
	rw := c.rows()
	if len(list) > 0 {
		loc := s.world.Location()
		rw.Row()
		var v []byte
		for i, a := range list {
			v = a.t.In(loc).AppendFormat(v[:0], "2006-01-02  15:04:05")
			if a.granted {
				v = append(v, " Access granted "...)
			} else {
				v = append(v, " Access denied "...)
			}
			v = append(v, a.card...)
			if a.user != "" {
				v = append(v, ' ')
				v = append(v, a.user...)
			}
			rw.Item("ACCESS"+strconv.Itoa(i+1), string(v))
		}
		rw.EndRow()
	}
	return rw.End(), nil
}
