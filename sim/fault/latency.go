package fault

import (
	"context"
	"time"
)

func init() {
	register(&kindSpec{kind: KindLatency, params: []string{"latency", "jitter"}, primary: "latency",
		check: func(p *Params) error {
			switch {
			case p.Latency < 0:
				return invalidf("params.latency %v is negative", p.Latency)
			case p.Jitter < 0:
				return invalidf("params.jitter %v is negative", p.Jitter)
			}
			if err := tooLong("params.latency", p.Latency, MaxLatency, ""); err != nil {
				return err
			}
			return tooLong("params.jitter", p.Jitter, MaxLatency, "")
		}})
}

// delay waits the fault's latency (± jitter) on the wall clock: real bytes
// are late. It returns early when the fault is removed, and reports false
// when the client went away meanwhile.
func (ru *rule) delay(ctx context.Context) bool {
	d := ru.jitterDelay()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ru.done:
	case <-ctx.Done():
		return false
	}
	return true
}
