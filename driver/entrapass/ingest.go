package entrapass

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// IngestEvents delivers the rows of an Events answer (the body of GET
// Events, as the server sent it) exactly as a poll of the session's queue
// does: the rows are parsed into events, those already delivered from the
// history are dropped, and the rest become workflow events on the bus (Last
// Access Events, Gateway Connection Changed). It returns the number of rows
// read.
//
// It is the driver's event ingest without the transport, for benchmarks
// and tests that feed it captured answers. The driver must have run a
// successful cycle first (the site must be known to map door names to
// assets); card lookups still go to the server when a card is not cached.
// It serialises with PollOnce.
func (d *Driver) IngestEvents(ctx context.Context, body []byte) (int, error) {
	evs, err := parseEvents(body)
	if err != nil {
		return 0, fmt.Errorf("entrapass: Events: %w", err)
	}
	d.cycleMu.Lock()
	defer d.cycleMu.Unlock()
	if d.topo == nil {
		return 0, errors.New("entrapass: IngestEvents before a cycle discovered the site")
	}
	d.lookups, d.cycleStart = 0, time.Now()
	d.deliverQueued(ctx, evs)
	d.events.prune()
	return len(evs), nil
}
