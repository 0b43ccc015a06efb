package control

import (
	"net/http"

	"github.com/pacsim/pacsim/sim"
)

// okBody is the answer of an action with nothing else to say.
type okBody struct {
	OK bool `json:"ok"`
}

// getSite answers GET /v1/site: the world's snapshot.
func (s *Server) getSite(w http.ResponseWriter, r *http.Request) (any, error) {
	snap := s.world.Snapshot()
	snap.Time = snap.Time.In(s.loc)
	return snap, nil
}

// postReset answers POST /v1/reset: every component back at rest, and
// what the removers took away, counted.
func (s *Server) postReset(w http.ResponseWriter, r *http.Request) (any, error) {
	if err := noBody(w, r); err != nil {
		return nil, err
	}
	// Fault plans and head-ends first: a fault healing after the world's
	// reset would act on the fresh world.
	removed := map[string]int{}
	for _, rm := range s.removers {
		removed[rm.what] += rm.remove()
	}
	for _, fn := range s.onReset {
		fn()
	}
	s.world.Reset()
	return ResetResult{OK: true, Removed: removed}, nil
}

// getOne answers GET /v1/{kind}/{id} with one component's state.
func getOne[T any](s *Server, get func(*sim.World, sim.ID) (T, error)) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		id, err := pathID(r)
		if err != nil {
			return nil, err
		}
		return get(s.world, id)
	}
}

// noBody accepts an empty body, null or {}; anything else is a 400.
func noBody(w http.ResponseWriter, r *http.Request) error {
	return decodeBody(w, r, &struct{}{}, false, "{} (or no body)")
}
