package fault

import (
	"context"
	"time"
)

func init() {
	register(&kindSpec{kind: KindHang, params: []string{"timeout"}, primary: "timeout",
		check: func(p *Params) error {
			if p.Timeout < 0 {
				return invalidf("params.timeout %v is negative", p.Timeout)
			}
			return tooLong("params.timeout", p.Timeout, MaxHangTimeout, " (0 hangs until the fault is removed)")
		}})
}

type hangResult uint8

const (
	// hangReleased: the fault was removed (or healed): the request goes on.
	hangReleased hangResult = iota
	// hangGone: the client went away.
	hangGone
	// hangTimedOut: params.timeout elapsed: the connection is closed.
	hangTimedOut
)

// hang holds the request until the fault is removed, the plan reset or the
// fault's window closed (released), the client goes away, or params.timeout
// elapses on the wall clock.
func (ru *rule) hang(ctx context.Context) hangResult {
	var timeout <-chan time.Time
	if ru.params.Timeout > 0 {
		t := time.NewTimer(ru.params.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	ru.plan.event("hang", ru.id)
	select {
	case <-ru.done:
		return hangReleased
	case <-ctx.Done():
		return hangGone
	case <-timeout:
		return hangTimedOut
	}
}
