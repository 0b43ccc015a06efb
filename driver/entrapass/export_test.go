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
