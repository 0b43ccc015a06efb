package entrapass

import (
	"fmt"
	"strconv"
	"strings"

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
		watch = append(watch, id)
		if k == sim.KindDoor {
			watch = append(watch, s.topo.doorByID[id].readers...)
		}
	}
	c.sess.mu.Lock()
	c.sess.registered, c.sess.watch = reg, watch
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
	reg, watch := c.sess.registered, c.sess.watch
	c.sess.mu.Unlock()

	version := s.world.Version()
	if since > version {
		since = 0
	}
	rw := c.rows()
	if since == 0 {
		// Every row: no change to look for, and room for all of them at
		// once (a large site's full poll is tens of megabytes).
		kinds := make([]sim.Kind, len(reg))
		size := 0
		for i, id := range reg {
			kinds[i] = s.topo.kinds[id]
			size += statusRowSize(kinds[i])
		}
		rw.Grow(size)
		for i, id := range reg {
			s.statusRow(rw, id, kinds[i], version)
		}
		return rw.End(), nil
	}
	changed := make(map[sim.ID]bool)
	s.world.ChangedSince(since, watch, func(id sim.ID, _ sim.Kind) { changed[id] = true })
	for _, id := range reg {
		hit, kind := changed[id], s.topo.kinds[id]
		if !hit && kind == sim.KindDoor {
			for _, r := range s.topo.doorByID[id].readers {
				hit = hit || changed[r]
			}
		}
		if hit {
			s.statusRow(rw, id, kind, version)
		}
	}
	return rw.End(), nil
}

// statusRowSize is about the length of a state row of a kind (its items ×
// the item markup with a key and a short value), a little over rather than
// under.
func statusRowSize(k sim.Kind) int {
	const row, item = len("<SmartLinkDataRow></SmartLinkDataRow>"),
		len("<item><key><string>CONTROLLERFAILURE</string></key><value><SmartLinkDataValue><Value>0000000000</Value></SmartLinkDataValue></value></item>")
	items := 4
	switch k {
	case sim.KindController:
		items = 5
	case sim.KindDoor:
		items = 11
	case sim.KindInput:
		items = 9
	case sim.KindOutput:
		items = 8
	case sim.KindReader:
		items = 6
	}
	return row + items*item
}

// statusRow writes the state row of one component. Every row of a kind
// lists the same keys in the same order, flags as 0/1.
//
//	door:       STATUSID UNIQUEID CONTROLLEREXIST CONTROLLERFAILURE DOOREXIST OPENSTATE LOCKSTATE UNLOCKTEMPO READERDISABLE READERDISABLE2 TROUBLE
//	relay:      STATUSID UNIQUEID CONTROLLEREXIST CONTROLLERFAILURE RELAYEXIST STATE ACTIVATETEMPO TROUBLE
//	input:      STATUSID UNIQUEID CONTROLLEREXIST CONTROLLERFAILURE INPUTEXIST STATE TAMPER TROUBLE SHUNTEDBY
//	reader:     STATUSID UNIQUEID CONTROLLEREXIST CONTROLLERFAILURE READERDISABLE TROUBLE
//	controller: STATUSID UNIQUEID CONTROLLEREXIST CONTROLLERFAILURE TROUBLE
//	gateway, site: STATUSID UNIQUEID CONTROLLEREXIST CONTROLLERFAILURE
//
// CONTROLLERFAILURE is 1 while the component's controller is cut off or
// behind a disconnected gateway: its communication is lost (for a relay,
// also while the output or its controller is in fault: the driver shows it
// as Controller Fault). A controller in hardware fault still answers: it
// sets TROUBLE=1 on its own row and on the rows of its doors, readers and
// inputs (SPEC §2), never CONTROLLERFAILURE there. A reader's fault is
// TROUBLE=1 on its door's row; an output's own trouble is TROUBLE=1 on its
// relay row (Fault).
func (s *Server) statusRow(rw *wire.RowWriter, id sim.ID, kind sim.Kind, version uint64) {
	w := s.world
	head := func(failure bool) {
		rw.Row()
		rw.ItemInt("STATUSID", int64(version))
		rw.ItemInt("UNIQUEID", int64(id))
		rw.ItemFlag("CONTROLLEREXIST", true)
		rw.ItemFlag("CONTROLLERFAILURE", failure)
	}
	ctrlFault := func(ctrl sim.ID) bool {
		cs, err := w.Controller(ctrl)
		return err == nil && cs.Fault
	}
	switch kind {
	case sim.KindDoor:
		ds, err := w.Door(id)
		if err != nil {
			return
		}
		var disabled [2]bool
		for i, r := range ds.Readers {
			if rs, err := w.Reader(r); err == nil && i < 2 {
				disabled[i] = !rs.Enabled
			}
		}
		lock, tempo := lockState(ds.Lock)
		head(!ds.Reachable)
		rw.ItemFlag("DOOREXIST", true)
		rw.Item("OPENSTATE", openState(ds.Contact))
		rw.Item("LOCKSTATE", lock)
		rw.ItemFlag("UNLOCKTEMPO", tempo)
		rw.ItemFlag("READERDISABLE", disabled[0])
		rw.ItemFlag("READERDISABLE2", disabled[1])
		rw.ItemFlag("TROUBLE", ds.Trouble || ds.Fault)
	case sim.KindOutput:
		o, err := w.Output(id)
		if err != nil {
			return
		}
		// A relay keeps TROUBLE for the output's own trouble (Fault,
		// EP-OUT-S-FAULT); its controller in hardware fault is
		// CONTROLLERFAILURE there, which the driver shows as Controller Fault.
		head(!o.Reachable || o.Fault || ctrlFault(o.Controller))
		rw.ItemFlag("RELAYEXIST", true)
		rw.ItemFlag("STATE", o.Active)
		rw.ItemFlag("ACTIVATETEMPO", o.Active && o.ActiveRemaining > 0)
		rw.ItemFlag("TROUBLE", o.Trouble)
	case sim.KindInput:
		in, err := w.Input(id)
		if err != nil {
			return
		}
		head(!in.Reachable)
		rw.ItemFlag("INPUTEXIST", true)
		rw.ItemFlag("STATE", in.State == "alarm")
		rw.ItemFlag("TAMPER", in.Tamper)
		rw.ItemFlag("TROUBLE", in.Trouble || ctrlFault(in.Controller))
		rw.ItemFlag("SHUNTEDBY", in.Shunted)
	case sim.KindReader:
		rs, err := w.Reader(id)
		if err != nil {
			return
		}
		door := s.topo.doorByID[rs.Door]
		head(!rs.Reachable)
		rw.ItemFlag("READERDISABLE", !rs.Enabled)
		rw.ItemFlag("TROUBLE", rs.Fault || ctrlFault(door.controller))
	case sim.KindController:
		cs, err := w.Controller(id)
		if err != nil {
			return
		}
		head(!cs.Reachable)
		rw.ItemFlag("TROUBLE", cs.Fault)
	case sim.KindGateway:
		g, err := w.Gateway(id)
		if err != nil {
			return
		}
		head(!g.Connected)
	case sim.KindSite:
		g, err := w.Gateway(s.topo.siteByID[id].Gateway)
		if err != nil {
			return
		}
		head(!g.Connected)
	default:
		return
	}
	rw.EndRow()
}
