package genetec_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A fault added or removed on a door is the simulator's event: Security
// Center shows no EntityWarning for it, even to a subscription to that
// door's warnings.
func TestStreamSkipsSimulatorEvents(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	es := s.openStream("text/json")
	s.subscribe("event(" + fx.door + ",EntityWarning),event(Door,AccessRefused)")
	_, err := s.world.JournalFault(true, frontDoor, `{"id":"f1","target":"site","kind":"door-forced"}`)
	require.NoError(t, err)
	require.False(t, s.present(frontEntry, "999:1").Granted)
	ev := es.event()
	assert.Equal(t, "AccessRefused", ev.EventType, "no warning came before the subscribed event")
}

// Nor does a door's activity report list it.
func TestReportSkipsSimulatorEvents(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	_, err := s.world.JournalFault(true, frontDoor, `{"id":"f1","target":"site","kind":"door-forced"}`)
	require.NoError(t, err)
	var rows []struct{ EventType int }
	s.ok("GET", q("/WebSdk/report/DoorActivity", "Doors@"+fx.door+",TimeRange.SetTimeRange(2026-01-05T00:00:00,2026-01-06T00:00:00)"), &rows)
	assert.Empty(t, rows)
}
