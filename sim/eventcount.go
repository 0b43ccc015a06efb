package sim

import (
	"strconv"
	"strings"
	"unicode"
)

// countSlots covers every event type pacsim raises (the highest is 991);
// any higher type is counted in the last slot, as "other".
const countSlots = 1024

func countSlot(t EventType) int {
	if int(t) < countSlots-1 {
		return int(t)
	}
	return countSlots - 1
}

// EventCount is how many events of one type a journal took.
type EventCount struct {
	Type  EventType
	Name  string // Type.Name(); "other" for the last slot
	Count uint64
}

// Counts appends to dst the number of events journaled by type since the
// journal began, the types never journaled left out. Retention does not
// lower them, and the world's Reset keeps its journal, so they only grow:
// the metric pacsim_world_events_total{kind}.
func (j *Journal) Counts(dst []EventCount) []EventCount {
	j.mu.Lock()
	counts := j.counts // 8 KiB copied: the lock is held for the copy only
	j.mu.Unlock()
	for i, n := range counts {
		if n == 0 {
			continue
		}
		t := EventType(i)
		name := t.Name()
		if i == countSlots-1 {
			name = "other"
		}
		dst = append(dst, EventCount{Type: t, Name: name, Count: n})
	}
	return dst
}

// eventNames are the Name of every event type pacsim raises.
var eventNames = func() map[EventType]string {
	m := make(map[EventType]string, len(eventTexts)+int(reasonCount))
	for t := range eventTexts {
		m[t] = snake(t.String())
	}
	for r := ReasonUnknownCard; r < reasonCount; r++ {
		// Not t.String(): the denied texts are filled by an init func,
		// which runs after this initialiser.
		m[DeniedEvent(r)] = snake("Access denied - " + r.Text())
	}
	return m
}()

// Name is the event type as a metric label: its text in snake case
// ("access_denied_outside_schedule"), "event_<n>" for a type without a
// text. The set is fixed by the types, never by the site.
func (t EventType) Name() string {
	if s, ok := eventNames[t]; ok {
		return s
	}
	return "event_" + strconv.Itoa(int(t))
}

// snake lower-cases s and joins its words with underscores.
func snake(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
		} else {
			sep = true
		}
	}
	return b.String()
}
