package control

import (
	"net/http"

	"github.com/pacsim/pacsim/sim"
)

// Decision is the answer to a card presented at a reader.
type Decision struct {
	// Granted tells whether access was granted.
	Granted bool `json:"granted"`
	// Reason is why access was denied, as sim.Reason names it
	// ("outside-schedule", …); "" when granted.
	Reason string `json:"reason"`
	// User is the card user's name when the head-end knows the card.
	User string `json:"user,omitempty"`
	// Seq is the journal sequence number of the access event; 0 when Held.
	Seq uint64 `json:"seq"`
	// Held is true when the reader's controller is cut off: the event is
	// held and journaled when the controller is heard again.
	Held bool `json:"held,omitempty"`
}

// SeqResult is the answer of a stimulus that journals an event.
type SeqResult struct {
	// Seq is the journal sequence number of the event raised; 0 when it is
	// held behind a cut-off controller or gateway, or when none was raised
	// (an input that changes while shunted is silent).
	Seq uint64 `json:"seq"`
}

// presentBody is the body of POST /v1/readers/{id}/present.
type presentBody struct {
	Card *string `json:"card"`
	PIN  string  `json:"pin"`
}

const presentExample = `{"card":"100:1001","pin":"12345"}`

// postPresent answers POST /v1/readers/{id}/present.
func (s *Server) postPresent(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var body presentBody
	if err := decodeBody(w, r, &body, true, presentExample); err != nil {
		return nil, err
	}
	if body.Card == nil || *body.Card == "" {
		return nil, badRequest(`missing "card": send %s`, presentExample)
	}
	p, err := s.world.PresentCard(id, *body.Card, body.PIN)
	if err != nil {
		return nil, err
	}
	return Decision{Granted: p.Granted, Reason: p.Reason.String(), User: p.User, Seq: p.Seq, Held: p.Seq == 0}, nil
}

// seqAction answers a stimulus on one component that journals an event.
func (s *Server) seqAction(do func(*sim.World, sim.ID) (uint64, error)) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		id, err := pathID(r)
		if err != nil {
			return nil, err
		}
		if err := noBody(w, r); err != nil {
			return nil, err
		}
		seq, err := do(s.world, id)
		if err != nil {
			return nil, err
		}
		return SeqResult{Seq: seq}, nil
	}
}

func activateInput(w *sim.World, id sim.ID) (uint64, error)   { return w.SetInput(id, true) }
func deactivateInput(w *sim.World, id sim.ID) (uint64, error) { return w.SetInput(id, false) }

// stateAction answers an action on a controller or gateway with the
// component's state after it.
func stateAction[T any](s *Server, do func(*sim.World, sim.ID) error, get func(*sim.World, sim.ID) (T, error)) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		id, err := pathID(r)
		if err != nil {
			return nil, err
		}
		if err := noBody(w, r); err != nil {
			return nil, err
		}
		if err := do(s.world, id); err != nil {
			return nil, err
		}
		return get(s.world, id)
	}
}
