package entrapass

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A fault added or removed is the simulator's event, not the site's: no
// SmartService event row shows it, neither in a session's queue nor in the
// history.
func TestEventsSkipSimulatorEvents(t *testing.T) {
	s := newSite(t)
	key := s.login()
	_, err := s.w.JournalFault(true, doorFront, `{"id":"f1","target":"site","kind":"door-forced"}`)
	require.NoError(t, err)
	_, err = s.w.JournalFault(false, 0, `{"id":"f2","target":"entrapass","kind":"empty"}`)
	require.NoError(t, err)
	s.present(rdFrontIn, "100:1001", "")
	require.Equal(t, []string{"Access granted Front Door"}, etxts(t, s.get(with("Events", key))))
	require.Equal(t, []string{"Access granted Front Door"}, etxts(t, s.get(with("Events?startDate=2026-01-05", key))))
}
