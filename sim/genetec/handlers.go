package genetec

import (
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/genetec/query"
	"github.com/pacsim/pacsim/sim/genetec/wire"
)

// keepAliveCall is GET /: {"Rsp":{"Status":"Ok"}}, which also keeps the
// session alive.
func (s *Server) keepAliveCall(c *call) (wire.Status, any, error) { return wire.Ok, nil, nil }

// entityQuery is GET|POST /entity?q=….
func (s *Server) entityQuery(c *call) (wire.Status, any, error) {
	q, err := c.q()
	if err != nil {
		return 0, nil, err
	}
	res, err := s.db.Exec(q, c.user, c.sess.app)
	return wire.Ok, res, err
}

// idParam resolves the {id} of a path: a GUID or LogicalID(Type,n).
func (s *Server) idParam(c *call) (*entity, error) {
	id := mux.Vars(c.r)["id"]
	q, err := query.Parse("entity=" + id)
	if err != nil || len(q.Terms) != 1 {
		return nil, invalidOp("%q is not a GUID or LogicalID(Type,n)", clip(id))
	}
	v := q.Terms[0].Values[0]
	if v.Kind == query.Call && !strings.EqualFold(v.Name, "LogicalID") {
		return nil, invalidOp("%q is not a GUID or LogicalID(Type,n)", clip(id))
	}
	t := s.db.begin(c.user, "")
	return t.selectEntity(v)
}

// entityGet is GET /entity/{id}: the whole entity.
func (s *Server) entityGet(c *call) (wire.Status, any, error) {
	s.db.mu.RLock()
	defer s.db.mu.RUnlock()
	e, err := s.idParam(c)
	if err != nil {
		return 0, nil, err
	}
	return wire.Ok, wire.Obsoleted{Result: s.db.render(e, s.world.Now()), Members: obsoleted(e.typ)}, nil
}

// entityBasic is GET /entity/basic/{id}: the members every entity has,
// under Result.Entity (as a real capture shows).
func (s *Server) entityBasic(c *call) (wire.Status, any, error) {
	s.db.mu.RLock()
	defer s.db.mu.RUnlock()
	e, err := s.idParam(c)
	if err != nil {
		return 0, nil, err
	}
	o := wire.NewObject(32)
	s.db.common(o, e)
	return wire.Ok, wire.NewObject(1).Set("Entity", o), nil
}

// entityExists is GET /entity/exists/{id}: {"Value":true} or Fail.
// The id is a GUID or LogicalID(Type,n), as for every /entity/{id}.
func (s *Server) entityExists(c *call) (wire.Status, any, error) {
	s.db.mu.RLock()
	defer s.db.mu.RUnlock()
	if _, err := s.idParam(c); err != nil {
		return 0, nil, err
	}
	return wire.Ok, wire.NewObject(1).Set("Value", true), nil
}

// entityDelete is DELETE /entity/{id}.
func (s *Server) entityDelete(c *call) (wire.Status, any, error) {
	return wire.Ok, nil, s.db.Delete(mux.Vars(c.r)["id"], c.user, c.sess.app)
}

// report is GET /report/{name}?q=….
func (s *Server) report(c *call) (wire.Status, any, error) {
	q := &query.Query{}
	if strings.Contains(strings.ToLower(c.r.URL.RawQuery), "q=") {
		var err error
		if q, err = c.q(); err != nil {
			return 0, nil, err
		}
	}
	return s.db.Report(mux.Vars(c.r)["name"], q)
}

// unlockTime is how long UnlockDoor unlocks: the door's standard grant
// time (5 s), after which it locks again.
const unlockTime = 5 * time.Second

// action is POST /action?q=UnlockDoor(door) or Open(door). Result is an
// empty list, as the real server answers.
func (s *Server) action(c *call) (wire.Status, any, error) {
	q, err := c.q()
	if err != nil {
		return 0, nil, err
	}
	if len(q.Terms) != 1 || q.Terms[0].Op != query.OpCall {
		return 0, nil, invalidOp("an action is one call, as UnlockDoor(<door guid>)")
	}
	term := &q.Terms[0]
	name := strings.ToLower(term.Name)
	if name != "unlockdoor" && name != "open" {
		return 0, nil, invalidOp("Unknown action '%s' (the simulator has UnlockDoor and Open)", clip(term.Name))
	}
	if len(term.Values) != 1 {
		return 0, nil, invalidOp("%s takes one door", term.Name)
	}
	s.db.mu.RLock()
	t := s.db.begin(c.user, "")
	e, err := t.selectEntity(term.Values[0])
	s.db.mu.RUnlock()
	if err != nil {
		return 0, nil, err
	}
	if e.typ != TypeDoor {
		return 0, nil, invalidValue("%s: %s is a %s, not a Door", term.Name, e.guid, e.typ)
	}
	if name == "unlockdoor" {
		err = s.world.TemporarilyUnlockDoor(e.world, unlockTime)
	} else {
		err = s.world.OneTimeAccess(e.world)
	}
	if err != nil {
		return 0, nil, invalidOp("%s(%s): %v", term.Name, e.name, err)
	}
	return wire.Ok, []any{}, nil
}

// licenceUsage is GET /licenseItemUsage: counts against the licence
// (-1: unlimited).
func (s *Server) licenceUsage(c *call) (wire.Status, any, error) {
	s.db.mu.RLock()
	defer s.db.mu.RUnlock()
	count := map[Type]int{}
	s.db.each("", func(e *entity) { count[e.typ]++ })
	o := wire.NewObject(8)
	readers, inputs, outputs := 0, 0, 0
	s.db.each(TypeDevice, func(e *entity) {
		switch e.kind {
		case sim.KindReader:
			readers++
		case sim.KindInput:
			inputs++
		case sim.KindOutput:
			outputs++
		}
	})
	for _, it := range []struct {
		name string
		n    int
	}{{"Cardholder", count[TypeCardholder] + count[TypeVisitor]}, {"Reader", readers}, {"Door", count[TypeDoor]},
		{"Controller", count[TypeUnit]}, {"Input", inputs}, {"Output", outputs}, {"Client", s.sessions.live(s.world.Now())},
		{"WebClient", 0}, {"CustomField", 0}} {
		o.Set(it.name, wire.NewObject(2).Set("CurrentCount", it.n).Set("MaximumCount", -1))
	}
	return wire.Ok, o, nil
}
