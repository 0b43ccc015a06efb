package fault

import (
	"context"
	"fmt"
	"net/http"
)

// Middleware returns next behind the transport faults of head-end target
// ("entrapass" or "genetec"; any other target panics, as a programming
// error).
//
// For each request it reads the plan's current snapshot: every fault of the
// target whose match selects the request counts it, and decides by its
// schedule whether it fires. The faults that fire act in order of
// addition: latency and expire-sessions act and let the request go on;
// malformed, slow-body and stream-cut wrap the response writer; status,
// app-fault, empty and reset answer instead of the head-end, and the faults
// after them do nothing (they have counted the request all the same); a
// hang holds the request and, once released by the fault's removal, lets it
// go on. A request that no fault matches goes straight to next: no lock, no
// allocation.
func (p *Plan) Middleware(target string, next http.Handler) http.Handler {
	t, ok := headEnd(Target(target))
	if !ok {
		panic(fmt.Sprintf("fault.Middleware: target %q is not a head-end (want entrapass or genetec)", target))
	}
	return &middleware{plan: p, target: t, next: next}
}

type middleware struct {
	plan   *Plan
	target int
	next   http.Handler
}

// maxInline is how many faults firing on one request are tracked without
// allocating.
const maxInline = 8

func (m *middleware) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rules := m.plan.snap.Load().rules[m.target]
	if len(rules) == 0 {
		m.next.ServeHTTP(w, r)
		return
	}
	var buf [maxInline]*rule
	fired := buf[:0]
	for _, ru := range rules {
		if ru.matches(r) && ru.decide() {
			fired = append(fired, ru)
		}
	}
	if len(fired) == 0 {
		m.next.ServeHTTP(w, r)
		return
	}
	m.serve(w, r, fired)
}

// finisher is a response writer wrapper with work left once the handler
// has returned.
type finisher interface {
	finish()
}

// serve carries out the faults that fired, in order, then lets the request
// through to next unless one of them answered.
func (m *middleware) serve(w http.ResponseWriter, r *http.Request, fired []*rule) {
	var finish []finisher
	for _, ru := range fired {
		m.plan.event("fire", ru.id)
		switch ru.kind {
		case KindLatency:
			if !ru.delay(r.Context()) {
				return // the client went away
			}
		case KindExpireSessions:
			ru.expirer.ExpireSessions()
		case KindStatus, KindAppFault:
			ru.answer(w)
			return
		case KindEmpty:
			answerEmpty(w)
			return
		case KindReset:
			resetConnection(w)
			return
		case KindHang:
			switch ru.hang(r.Context()) {
			case hangGone:
				return
			case hangTimedOut:
				closeConnection(w, false)
				return
			}
		case KindMalformed:
			mw := newMalformedWriter(w, ru)
			finish = append(finish, mw)
			w = mw
		case KindSlowBody:
			w = newDribbleWriter(w, ru, r.Context())
		case KindStreamCut:
			ctx, cancel := context.WithCancel(r.Context())
			defer cancel()
			r = r.WithContext(ctx)
			w = newCutWriter(w, ru, cancel)
		}
	}
	m.next.ServeHTTP(w, r)
	for i := len(finish) - 1; i >= 0; i-- {
		finish[i].finish()
	}
}
