package fault

import (
	"context"
	"net/http"
	"time"
)

func init() {
	register(&kindSpec{kind: KindSlowBody, params: []string{"rate", "interval"}, primary: "rate",
		check: func(p *Params) error {
			switch {
			case p.Rate <= 0:
				if p.Rate == 0 {
					return invalidf("params.rate is required: the bytes sent per interval, from 1")
				}
				return invalidf("params.rate %d is below 1", p.Rate)
			case p.Interval < 0:
				return invalidf("params.interval %v is negative", p.Interval)
			}
			return tooLong("params.interval", p.Interval, MaxInterval, "")
		}})
}

// dribbleWriter sends the head-end's answer params.rate bytes at a time,
// flushed, params.interval apart on the wall clock. When the fault is
// removed it sends the rest at once; when the client goes away it stops.
type dribbleWriter struct {
	wrapper
	ru       *rule
	ctx      context.Context
	rc       *http.ResponseController
	interval time.Duration
	timer    *time.Timer
	started  bool
	fast     bool
}

func newDribbleWriter(w http.ResponseWriter, ru *rule, ctx context.Context) *dribbleWriter {
	iv := ru.params.Interval
	if iv == 0 {
		iv = DefaultInterval
	}
	return &dribbleWriter{wrapper: wrapper{under: w}, ru: ru, ctx: ctx, rc: http.NewResponseController(w), interval: iv}
}

// WriteHeader sends the status and headers.
func (d *dribbleWriter) WriteHeader(code int) { d.under.WriteHeader(code) }

// Write dribbles p.
func (d *dribbleWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		if d.fast {
			m, err := d.under.Write(p)
			return n + m, err
		}
		if d.started {
			if err := d.wait(); err != nil {
				return n, err
			}
			if d.fast {
				continue
			}
		}
		d.started = true
		c := min(d.ru.params.Rate, len(p))
		m, err := d.under.Write(p[:c])
		n += m
		if err != nil {
			return n, err
		}
		_ = d.rc.Flush()
		p = p[c:]
	}
	return n, nil
}

// Flush flushes what was written.
func (d *dribbleWriter) Flush() { _ = d.rc.Flush() }

// wait pauses one interval, or less if the fault is removed (the rest then
// goes at once) or the client goes away (an error).
func (d *dribbleWriter) wait() error {
	if d.timer == nil {
		d.timer = time.NewTimer(d.interval)
	} else {
		d.timer.Reset(d.interval)
	}
	select {
	case <-d.timer.C:
	case <-d.ru.done:
		d.timer.Stop()
		d.fast = true
	case <-d.ctx.Done():
		d.timer.Stop()
		return d.ctx.Err()
	}
	return nil
}
