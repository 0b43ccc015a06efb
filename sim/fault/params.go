package fault

import (
	"time"

	"github.com/pacsim/pacsim/sim"
)

// Params are the parameters of a fault. Each kind takes only its own (see
// each Kind constant); the others must stay zero. In JSON a duration is a
// Go duration string ("300ms", "1m30s").
type Params struct {
	// Latency is the delay of a latency fault (≥ 0, wall clock).
	Latency time.Duration
	// Jitter widens a latency fault's delay uniformly over
	// [Latency-Jitter, Latency+Jitter], never below 0 (≥ 0).
	Jitter time.Duration
	// Status is the HTTP status of a status fault (100–599, required).
	Status int
	// Body is the body of a status fault (default "503 Service
	// Unavailable" for 503, and so on).
	Body string
	// Code is the application fault code of an app-fault (EntraPass:
	// StandardFault's Message, default INTERNAL_ERROR).
	Code string
	// Message is the application fault's sentence (EntraPass:
	// VisibleMessage and the descriptions).
	Message string
	// Mode is how a malformed fault breaks the body: "truncate" (default)
	// or "garble".
	Mode string
	// At is where a truncate cuts the body, in bytes (default: in the
	// middle, inside an element).
	At int
	// Timeout ends a hang after this long on the wall clock, closing the
	// connection with no answer; 0 hangs until the fault is removed or the
	// client goes away.
	Timeout time.Duration
	// Rate is how many bytes a slow-body sends per Interval (≥ 1,
	// required).
	Rate int
	// Interval is the pause between a slow-body's chunks (wall clock,
	// default 100ms).
	Interval time.Duration
	// Bytes cuts a stream after this many body bytes (stream-cut: Bytes
	// or Events, one of them).
	Bytes int
	// Events cuts a stream after this many flushes, one per event.
	Events int
	// ID names the component of a hardware fault.
	ID sim.ID
}

// DefaultInterval is a slow-body's pause between chunks when the fault
// gives none.
const DefaultInterval = 100 * time.Millisecond

// The longest durations a fault takes. Longer is a typo (876000h for
// 876ms) or a fault that cannot be told from a dead server, and would
// hold a connection, a goroutine and a test for days: it is refused.
const (
	// MaxLatency bounds params.latency and params.jitter.
	MaxLatency = 10 * time.Minute
	// MaxHangTimeout bounds params.timeout of a hang; a hang without a
	// timeout lasts until its fault is removed.
	MaxHangTimeout = time.Hour
	// MaxInterval bounds a slow-body's params.interval: a longer pause
	// between chunks is a hang.
	MaxInterval = time.Minute
	// MaxWindow bounds when.start_after and when.for, on the site clock.
	MaxWindow = 30 * 24 * time.Hour
)

// tooLong refuses a duration parameter above its maximum.
func tooLong(name string, d, max time.Duration, note string) error {
	if d <= max {
		return nil
	}
	return invalidf("%s %v is longer than the maximum, %v%s", name, d, max, note)
}

type paramType uint8

const (
	typeDuration paramType = iota
	typeInt
	typeString
)

func (t paramType) String() string {
	switch t {
	case typeDuration:
		return `a Go duration string like "300ms"`
	case typeInt:
		return "an integer"
	}
	return "a string"
}

// paramDesc describes one parameter: its JSON (and flag) name, its type and
// where it lives in Params.
type paramDesc struct {
	name string
	typ  paramType
	dur  func(*Params) *time.Duration
	num  func(*Params) *int
	str  func(*Params) *string
}

// paramDescs lists every parameter, in the order they are written.
var paramDescs = []paramDesc{
	{name: "id", typ: typeInt, num: func(p *Params) *int { return (*int)(&p.ID) }},
	{name: "latency", typ: typeDuration, dur: func(p *Params) *time.Duration { return &p.Latency }},
	{name: "jitter", typ: typeDuration, dur: func(p *Params) *time.Duration { return &p.Jitter }},
	{name: "status", typ: typeInt, num: func(p *Params) *int { return &p.Status }},
	{name: "body", typ: typeString, str: func(p *Params) *string { return &p.Body }},
	{name: "code", typ: typeString, str: func(p *Params) *string { return &p.Code }},
	{name: "message", typ: typeString, str: func(p *Params) *string { return &p.Message }},
	{name: "mode", typ: typeString, str: func(p *Params) *string { return &p.Mode }},
	{name: "at", typ: typeInt, num: func(p *Params) *int { return &p.At }},
	{name: "timeout", typ: typeDuration, dur: func(p *Params) *time.Duration { return &p.Timeout }},
	{name: "rate", typ: typeInt, num: func(p *Params) *int { return &p.Rate }},
	{name: "interval", typ: typeDuration, dur: func(p *Params) *time.Duration { return &p.Interval }},
	{name: "bytes", typ: typeInt, num: func(p *Params) *int { return &p.Bytes }},
	{name: "events", typ: typeInt, num: func(p *Params) *int { return &p.Events }},
}

func paramByName(name string) *paramDesc {
	for i := range paramDescs {
		if paramDescs[i].name == name {
			return &paramDescs[i]
		}
	}
	return nil
}

func (d *paramDesc) isZero(p *Params) bool {
	switch d.typ {
	case typeDuration:
		return *d.dur(p) == 0
	case typeInt:
		return *d.num(p) == 0
	}
	return *d.str(p) == ""
}

// text returns the parameter's value as the flag syntax writes it.
func (d *paramDesc) text(p *Params) string {
	switch d.typ {
	case typeDuration:
		return d.dur(p).String()
	case typeInt:
		return itoa(*d.num(p))
	}
	return *d.str(p)
}

// value returns the parameter's value as JSON writes it.
func (d *paramDesc) value(p *Params) any {
	switch d.typ {
	case typeDuration:
		return d.dur(p).String()
	case typeInt:
		return *d.num(p)
	}
	return *d.str(p)
}
