package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJournalCountsOutliveRetention(t *testing.T) {
	j := NewJournal(2)
	for range 3 {
		j.Append(Event{Type: EventAccessGranted})
	}
	j.Append(Event{Type: DeniedEvent(ReasonUnknownCard)})
	j.Append(Event{Type: EventType(5000)})
	got := map[string]uint64{}
	for _, c := range j.Counts(nil) {
		got[c.Name] = c.Count
	}
	assert.Equal(t, map[string]uint64{"access_granted": 3, "access_denied_unknown_card": 1, "other": 1}, got)
}

func TestEventNamesAreDistinctLabels(t *testing.T) {
	seen := map[string]EventType{}
	for ty, name := range eventNames {
		require.Regexp(t, `^[a-z0-9_]+$`, name)
		if other, dup := seen[name]; dup {
			t.Fatalf("types %d and %d share the name %q", ty, other, name)
		}
		seen[name] = ty
	}
	assert.Equal(t, "door_forced_open", EventDoorForcedOpen.Name())
	assert.Equal(t, "event_7", EventType(7).Name())
}

func TestJournalAppendStaysAllocationFree(t *testing.T) {
	j := NewJournal(16)
	e := Event{Type: EventDoorOpened}
	j.Append(e)
	assert.Zero(t, testing.AllocsPerRun(100, func() { j.Append(e) }))
}
