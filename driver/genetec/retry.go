package genetec

import (
	"context"
	"errors"
	"time"

	"github.com/pacsim/pacsim/driver/genetec/websdk"
)

// attempts is how many times one Security Center call is tried when it
// fails transiently.
const attempts = 4

// transient reports whether a failed call may pass on another try: a 5xx,
// a connection failure or timeout, a malformed answer. An application
// failure (Fail), a refusal (401/403) or a 4xx will not.
func transient(err error) bool {
	var he *websdk.HTTPError
	var ne *websdk.NetError
	var pe *websdk.ProtocolError
	switch {
	case errors.As(err, &he):
		return he.Status >= 500
	case errors.As(err, &ne), errors.As(err, &pe):
		return true
	}
	return false
}

// try runs fn until it succeeds, fails for good, or has been tried
// attempts times, backing off 25 ms, 50 ms, 100 ms between tries. Every
// call it wraps is safe to repeat: reads, and changes that set a state
// (activate, check out, deactivate) rather than add to one.
func (c *Connector) try(ctx context.Context, fn func() error) error {
	wait := 25 * time.Millisecond
	for i := 1; ; i++ {
		err := fn()
		if err == nil || i == attempts || !transient(err) || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		c.meter.retries.Add(1)
		wait *= 2
	}
}
