package control

import "sync"

// The clock on the event stream.
//
// Advancing the virtual clock fires the world's timers, and some of what
// they change is not journaled (a door relocking after a passage, as
// EntraPass does not report it): a client following the stream would not
// know to look again. So each advance through the API is announced on every
// event stream as an "event: clock" with the clock's new state. It is not a
// journal event (it has no id and is not replayed after a reconnect: the
// client reads GET /v1/clock then).

// clockNote is a broadcast: moved returns a channel closed at the next
// advance.
type clockNote struct {
	mu sync.Mutex
	ch chan struct{}
}

// moved returns the channel closed at the next advance.
func (n *clockNote) moved() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = make(chan struct{})
	}
	return n.ch
}

// notify wakes every stream waiting on moved.
func (n *clockNote) notify() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
}
