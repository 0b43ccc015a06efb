package fault

import (
	"context"
	"net/http"
)

func init() {
	register(&kindSpec{kind: KindStreamCut, params: []string{"bytes", "events"}, primary: "bytes",
		check: func(p *Params) error {
			switch {
			case p.Bytes < 0:
				return invalidf("params.bytes %d is negative", p.Bytes)
			case p.Events < 0:
				return invalidf("params.events %d is negative", p.Events)
			case p.Bytes == 0 && p.Events == 0:
				return invalidf("stream-cut needs params.bytes or params.events: where to cut the stream")
			case p.Bytes > 0 && p.Events > 0:
				return invalidf("stream-cut takes params.bytes or params.events, not both")
			}
			return nil
		}})
}

// cutWriter lets a (streaming) answer through and cuts its connection after
// params.bytes body bytes or params.events flushes: what was written is
// flushed, the connection closed, the handler's context cancelled, and
// every later Write returns ErrStreamCut. The client sees the stream end in
// the middle (an unexpected EOF).
type cutWriter struct {
	wrapper
	ru      *rule
	cancel  context.CancelFunc
	written int
	flushes int
	cut     bool
}

func newCutWriter(w http.ResponseWriter, ru *rule, cancel context.CancelFunc) *cutWriter {
	return &cutWriter{wrapper: wrapper{under: w}, ru: ru, cancel: cancel}
}

// WriteHeader sends the status and headers, unless the stream is cut.
func (c *cutWriter) WriteHeader(code int) {
	if !c.cut {
		c.under.WriteHeader(code)
	}
}

// Write writes p, or as much of it as the limit leaves, then cuts.
func (c *cutWriter) Write(p []byte) (int, error) {
	if c.cut {
		return 0, ErrStreamCut
	}
	if lim := c.ru.params.Bytes; lim > 0 && c.written+len(p) >= lim {
		n, _ := c.under.Write(p[:lim-c.written])
		c.written += n
		c.doCut()
		if n == len(p) {
			return n, nil
		}
		return n, ErrStreamCut
	}
	n, err := c.under.Write(p)
	c.written += n
	return n, err
}

// Flush flushes, counting events; the last one allowed cuts the stream.
func (c *cutWriter) Flush() {
	if c.cut {
		return
	}
	flush(c.under)
	if lim := c.ru.params.Events; lim > 0 {
		c.flushes++
		if c.flushes >= lim {
			c.doCut()
		}
	}
}

func (c *cutWriter) doCut() {
	c.cut = true
	c.cancel()
	closeConnection(c.under, true)
}
