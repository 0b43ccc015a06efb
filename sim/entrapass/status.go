package entrapass

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// LOCKSTATE and OPENSTATE values (EntraPass GO's OperationsStatesListXmlHandler).
const (
	lockLock           = "LOCK"
	lockUnlockOperator = "UNLOCKOPERATOR"
	lockUnlockAccess   = "UNLOCKONACCESS"
	lockUnlockSchedule = "UNLOCKSCHEDULE"
	lockOneTimeAccess  = "ONETIMEACCESS"

	openClose       = "CLOSE"
	openOpen        = "OPEN"
	openPrealarm    = "PREALARMOPENTOOLONG"
	openOpenTooLong = "OPENTOOLONG"
	openForced      = "FORCED"
)

// lockState maps the world's lock state to LOCKSTATE and UNLOCKTEMPO: a
// temporary unlock is an operator unlock with the tempo flag, which the GO
// app shows as "Door temporarily unlocked by an operator".
func lockState(l sim.LockState) (string, bool) {
	switch l {
	case sim.LockUnlockedOperator:
		return lockUnlockOperator, false
	case sim.LockUnlockedTemporary:
		return lockUnlockOperator, true
	case sim.LockUnlockedAccess:
		return lockUnlockAccess, false
	case sim.LockUnlockedSchedule:
		return lockUnlockSchedule, false
	case sim.LockOneTimeAccess:
		return lockOneTimeAccess, false
	}
	return lockLock, false
}

// openState maps the world's contact state to OPENSTATE. STILLOPEN is not
// produced: the world has no state for it (see the report).
func openState(c sim.ContactState) string {
	switch c {
	case sim.ContactOpen:
		return openOpen
	case sim.ContactPrealarm:
		return openPrealarm
	case sim.ContactHeldOpen:
		return openOpenTooLong
	case sim.ContactForced:
		return openForced
	}
	return openClose
}

// registerStates answers PUT ComponentsStates?statusID=0 with body
// <string>id,id,…</string>: the components whose state rows the session
// polls. The list replaces any earlier one (the GO app registers again
// with statusID=0 after a failure). An unknown id refuses the whole list.
func (s *Server) registerStates(c *call) ([]byte, *wire.Fault) {
	if v, ok := c.q.get("statusid"); ok && strings.TrimSpace(v) != "" {
		if _, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64); err != nil {
			return nil, wire.InvalidParameter("statusID", fmt.Sprintf("%q is not a status id", clip(v)))
		}
	}
	body, f := c.body("string")
	if f != nil {
		return nil, f
	}
	ids, err := wire.ParseStringList(body)
	if err != nil {
		if wf, ok := err.(*wire.Fault); ok {
			return nil, wf
		}
		return nil, wire.InvalidParameter("string", err.Error())
	}
	seen := make(map[sim.ID]bool, len(ids))
	reg := make([]sim.ID, 0, len(ids))
	kinds := make([]sim.Kind, 0, len(ids))
	watch := make([]sim.ID, 0, len(ids))
	for _, n := range ids {
		id := sim.ID(n)
		k, ok := s.topo.kinds[id]
		if !ok {
			return nil, wire.ComponentNotExist(fmt.Sprint(n))
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		reg = append(reg, id)
		kinds = append(kinds, k)
		watch = append(watch, id)
		if k == sim.KindDoor {
			watch = append(watch, s.topo.doorByID[id].readers...)
		}
	}
	c.sess.mu.Lock()
	c.sess.registered, c.sess.kinds, c.sess.watch = reg, kinds, watch
	c.sess.mu.Unlock()
	return append(c.scratch(), wire.CommandResultOK...), nil
}

// pollStates answers GET ComponentsStatesByStatusId?statusID=n: a row per
// registered component whose state changed after n (every one for 0), in
// registration order. STATUSID on every row is the world's version as it
// was before the states were read, so whichever row a client takes its
// next statusID from, no change is missed (a change racing the read shows
// again next time, harmless). A statusID ahead of the world (a client that
// kept it across a server restart) is read as 0.
//
// The answer is streamed: the states are read first (a few bytes each),
// their rows counted for the Content-Length, then written out in chunks.
// A full poll of 100,000 doors is 135 MB of rows, which a buffer would
// hold whole — allocated, zeroed and paged in at every poll — for each
// poll at once.
func (s *Server) pollStates(c *call) ([]byte, *wire.Fault) {
	v, ok := c.q.get("statusid")
	if !ok || strings.TrimSpace(v) == "" {
		return nil, wire.InvalidParameter("statusID", "is required")
	}
	since, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return nil, wire.InvalidParameter("statusID", fmt.Sprintf("%q is not a status id", clip(v)))
	}
	c.sess.mu.Lock()
	reg, kinds, watch := c.sess.registered, c.sess.kinds, c.sess.watch
	c.sess.mu.Unlock()

	version := s.world.Version()
	if since > version {
		since = 0
	}
	buf := stateRowPool.Get().(*[]stateRow)
	defer func() {
		clear(*buf) // no strings kept alive from the pool
		*buf = (*buf)[:0]
		stateRowPool.Put(buf)
	}()
	states := (*buf)[:0]
	if since == 0 {
		states = slices.Grow(states, len(reg))
		for i, id := range reg {
			if st, ok := s.readState(id, kinds[i]); ok {
				states = append(states, st)
			}
		}
	} else {
		changed := make(map[sim.ID]bool)
		s.world.ChangedSince(since, watch, func(id sim.ID, _ sim.Kind) { changed[id] = true })
		for i, id := range reg {
			hit, kind := changed[id], kinds[i]
			if !hit && kind == sim.KindDoor {
				for _, r := range s.topo.doorByID[id].readers {
					hit = hit || changed[r]
				}
			}
			if !hit {
				continue
			}
			if st, ok := s.readState(id, kind); ok {
				states = append(states, st)
			}
		}
	}
	*buf = states

	var vals [maxStateItems]wire.Value
	size := len(wire.MarshalRows(nil))
	for i := range states {
		size += states[i].template().Len(states[i].values(version, &vals))
	}
	rw := c.rows()
	c.stream(size, func(out io.Writer) error {
		for i := range states {
			st := &states[i]
			rw.RowFrom(st.template(), st.values(version, &vals))
			if rw.Buffered() >= streamChunk {
				if err := rw.Flush(out); err != nil {
					return err
				}
			}
		}
		rw.End()
		return rw.Flush(out)
	})
	return nil, nil
}

// streamChunk is about how much of a streamed answer is written at once:
// large enough that the writes cost little, small enough to stay in cache.
const streamChunk = 64 << 10

// stateRowPool holds the slices the states of a poll are read into: for a
// 100,000-door site a few megabytes, reused rather than allocated at each
// poll. Each poll takes its own.
var stateRowPool = sync.Pool{New: func() any { return new([]stateRow) }}

// stateRow is what the state row of one component says, read from the
// world once: the answer's length is counted and its rows written from the
// same values. Only the kinds readState reads have one.
type stateRow struct {
	id   sim.ID
	kind sim.Kind
	// failure is CONTROLLERFAILURE, trouble TROUBLE.
	failure, trouble bool
	// open and lock are a door's OPENSTATE and LOCKSTATE.
	open, lock string
	// tempo is a door's UNLOCKTEMPO or a relay's ACTIVATETEMPO.
	tempo bool
	// disabled are a door's READERDISABLE and READERDISABLE2, or a
	// reader's READERDISABLE.
	disabled [2]bool
	// active is a relay's STATE, alarm an input's.
	active, alarm bool
	// tamper and shunted are an input's TAMPER and SHUNTEDBY.
	tamper, shunted bool
}

// readState reads the state row of one component; false when the
// component is gone or of a kind without a row.
//
// CONTROLLERFAILURE is 1 while the component's controller is cut off or
// behind a disconnected gateway: its communication is lost (for a relay,
// also while the output or its controller is in fault: the driver shows it
// as Controller Fault). A controller in hardware fault still answers: it
// sets TROUBLE=1 on its own row and on the rows of its doors, readers and
// inputs (SPEC §2), never CONTROLLERFAILURE there. A reader's fault is
// TROUBLE=1 on its door's row; an output's own trouble is TROUBLE=1 on its
// relay row (Fault).
func (s *Server) readState(id sim.ID, kind sim.Kind) (stateRow, bool) {
	w := s.world
	ctrlFault := func(ctrl sim.ID) bool {
		cs, err := w.Controller(ctrl)
		return err == nil && cs.Fault
	}
	st := stateRow{id: id, kind: kind}
	switch kind {
	case sim.KindDoor:
		ds, err := w.Door(id)
		if err != nil {
			return st, false
		}
		for i, r := range ds.Readers {
			if rs, err := w.Reader(r); err == nil && i < 2 {
				st.disabled[i] = !rs.Enabled
			}
		}
		st.failure = !ds.Reachable
		st.open = openState(ds.Contact)
		st.lock, st.tempo = lockState(ds.Lock)
		st.trouble = ds.Trouble || ds.Fault
	case sim.KindOutput:
		o, err := w.Output(id)
		if err != nil {
			return st, false
		}
		// A relay keeps TROUBLE for the output's own trouble (Fault,
		// EP-OUT-S-FAULT); its controller in hardware fault is
		// CONTROLLERFAILURE there, which the driver shows as Controller Fault.
		st.failure = !o.Reachable || o.Fault || ctrlFault(o.Controller)
		st.active = o.Active
		st.tempo = o.Active && o.ActiveRemaining > 0
		st.trouble = o.Trouble
	case sim.KindInput:
		in, err := w.Input(id)
		if err != nil {
			return st, false
		}
		st.failure = !in.Reachable
		st.alarm = in.State == "alarm"
		st.tamper = in.Tamper
		st.trouble = in.Trouble || ctrlFault(in.Controller)
		st.shunted = in.Shunted
	case sim.KindReader:
		rs, err := w.Reader(id)
		if err != nil {
			return st, false
		}
		st.failure = !rs.Reachable
		st.disabled[0] = !rs.Enabled
		st.trouble = rs.Fault || ctrlFault(s.topo.doorByID[rs.Door].controller)
	case sim.KindController:
		cs, err := w.Controller(id)
		if err != nil {
			return st, false
		}
		st.failure = !cs.Reachable
		st.trouble = cs.Fault
	case sim.KindGateway:
		g, err := w.Gateway(id)
		if err != nil {
			return st, false
		}
		st.failure = !g.Connected
	case sim.KindSite:
		g, err := w.Gateway(s.topo.siteByID[id].Gateway)
		if err != nil {
			return st, false
		}
		st.failure = !g.Connected
	default:
		return st, false
	}
	return st, true
}

// The state rows of each kind. Every row of a kind lists the same keys in
// the same order, flags as 0/1.
var (
	doorStateRow = wire.NewRowTemplate("STATUSID", "UNIQUEID", "CONTROLLEREXIST", "CONTROLLERFAILURE",
		"DOOREXIST", "OPENSTATE", "LOCKSTATE", "UNLOCKTEMPO", "READERDISABLE", "READERDISABLE2", "TROUBLE")
	relayStateRow = wire.NewRowTemplate("STATUSID", "UNIQUEID", "CONTROLLEREXIST", "CONTROLLERFAILURE",
		"RELAYEXIST", "STATE", "ACTIVATETEMPO", "TROUBLE")
	inputStateRow = wire.NewRowTemplate("STATUSID", "UNIQUEID", "CONTROLLEREXIST", "CONTROLLERFAILURE",
		"INPUTEXIST", "STATE", "TAMPER", "TROUBLE", "SHUNTEDBY")
	readerStateRow = wire.NewRowTemplate("STATUSID", "UNIQUEID", "CONTROLLEREXIST", "CONTROLLERFAILURE",
		"READERDISABLE", "TROUBLE")
	controllerStateRow = wire.NewRowTemplate("STATUSID", "UNIQUEID", "CONTROLLEREXIST", "CONTROLLERFAILURE",
		"TROUBLE")
	// gatewayStateRow is a gateway's row and a site's.
	gatewayStateRow = wire.NewRowTemplate("STATUSID", "UNIQUEID", "CONTROLLEREXIST", "CONTROLLERFAILURE")
)

// maxStateItems is the most items a state row has (a door's).
const maxStateItems = 11

// template returns the row template of the component's kind.
func (st *stateRow) template() *wire.RowTemplate {
	switch st.kind {
	case sim.KindDoor:
		return doorStateRow
	case sim.KindOutput:
		return relayStateRow
	case sim.KindInput:
		return inputStateRow
	case sim.KindReader:
		return readerStateRow
	case sim.KindController:
		return controllerStateRow
	}
	return gatewayStateRow
}

// values returns the row's values in its template's order, in vals.
func (st *stateRow) values(version uint64, vals *[maxStateItems]wire.Value) []wire.Value {
	vals[0] = wire.Int(int64(version))
	vals[1] = wire.Int(int64(st.id))
	vals[2] = wire.Flag(true) // CONTROLLEREXIST
	vals[3] = wire.Flag(st.failure)
	switch st.kind {
	case sim.KindDoor:
		vals[4] = wire.Flag(true) // DOOREXIST
		vals[5] = wire.Text(st.open)
		vals[6] = wire.Text(st.lock)
		vals[7] = wire.Flag(st.tempo)
		vals[8] = wire.Flag(st.disabled[0])
		vals[9] = wire.Flag(st.disabled[1])
		vals[10] = wire.Flag(st.trouble)
		return vals[:11]
	case sim.KindOutput:
		vals[4] = wire.Flag(true) // RELAYEXIST
		vals[5] = wire.Flag(st.active)
		vals[6] = wire.Flag(st.tempo)
		vals[7] = wire.Flag(st.trouble)
		return vals[:8]
	case sim.KindInput:
		vals[4] = wire.Flag(true) // INPUTEXIST
		vals[5] = wire.Flag(st.alarm)
		vals[6] = wire.Flag(st.tamper)
		vals[7] = wire.Flag(st.trouble)
		vals[8] = wire.Flag(st.shunted)
		return vals[:9]
	case sim.KindReader:
		vals[4] = wire.Flag(st.disabled[0])
		vals[5] = wire.Flag(st.trouble)
		return vals[:6]
	case sim.KindController:
		vals[4] = wire.Flag(st.trouble)
		return vals[:5]
	}
	return vals[:4]
}
