package control

import (
	"context"
	"net/http"
	"net/url"

	"github.com/pacsim/pacsim/sim/fault"
)

// Faults lists the site's faults with their state and counters
// (GET /v1/faults).
func (c *Client) Faults(ctx context.Context) ([]fault.Status, error) {
	var out struct {
		Faults []fault.Status `json:"faults"`
	}
	if err := c.do(ctx, http.MethodGet, "/faults", nil, &out); err != nil {
		return nil, err
	}
	return out.Faults, nil
}

// AddFault adds a fault (POST /v1/faults) and returns it with its id. A
// fault the server refuses (unknown kind, parameter or target) comes back as
// an *APIError naming it.
func (c *Client) AddFault(ctx context.Context, f fault.Fault) (fault.Status, error) {
	var out fault.Status
	err := c.do(ctx, http.MethodPost, "/faults", f, &out)
	return out, err
}

// RemoveFault removes one fault by id (DELETE /v1/faults/{id}); what it
// changed heals.
func (c *Client) RemoveFault(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "/faults/"+url.PathEscape(id), nil, nil)
}

// ResetFaults removes every fault (DELETE /v1/faults).
func (c *Client) ResetFaults(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "/faults", nil, nil)
}

// FaultKinds returns the fault vocabulary: targets, kinds with their
// parameters, match and when keys (GET /v1/fault-kinds).
func (c *Client) FaultKinds(ctx context.Context) (fault.Vocabulary, error) {
	var out fault.Vocabulary
	err := c.do(ctx, http.MethodGet, "/fault-kinds", nil, &out)
	return out, err
}
