package entrapass

import (
	"context"
	"time"
)

// SetCardClock makes the card cache read the time from now (tests age
// cached cards without waiting).
func (d *Driver) SetCardClock(now func() time.Time) { d.cards.now = now }

// RefreshQueuedCards runs the background card refreshes queued so far, in
// the caller's goroutine, and returns how many ran.
func (d *Driver) RefreshQueuedCards(ctx context.Context) int {
	n := 0
	for {
		select {
		case number := <-d.cards.queue:
			d.refreshCard(ctx, number)
			n++
		default:
			return n
		}
	}
}

// WarmCards warms the card cache from the card list in the caller's
// goroutine, as the background worker does after the first
// synchronisation, and returns how many cards it cached.
func (d *Driver) WarmCards(ctx context.Context) int { return d.warmCards(ctx) }

// CardWarmPending reports whether a warm-up is waiting for the background
// worker.
func (d *Driver) CardWarmPending() bool { return len(d.cards.warm) > 0 }
