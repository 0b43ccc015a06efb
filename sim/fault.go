package sim

import "fmt"

// JournalFault journals that a fault of the simulator was added (or, with
// added false, removed): an EventFaultAdded or EventFaultRemoved event
// whose Detail is the fault in JSON and whose Source is the component a
// hardware fault acts on (0 for a transport fault). It is never held: the
// simulator reports it, not a controller. It returns the event's sequence
// number, or an error wrapping ErrUnknownID when source names no
// component.
func (w *World) JournalFault(added bool, source ID, fault string) (uint64, error) {
	e := Event{Type: EventFaultRemoved, Source: source, Detail: fault}
	if added {
		e.Type = EventFaultAdded
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if source != 0 {
		r, ok := w.index.get(source)
		if !ok {
			return 0, fmt.Errorf("%w: no component has id %d", ErrUnknownID, source)
		}
		e.Kind = r.kind
	}
	return w.journalNow(e), nil
}
