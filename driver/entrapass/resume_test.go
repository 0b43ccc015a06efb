package entrapass_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/entrapass"
)

// restarted is a driver process of its own on the site, with a state file.
func restarted(t *testing.T, s *site, state string) (*entrapass.Driver, *asset.Subscription, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	d, err := entrapass.New(s.config("pacsim", "pacsim"), entrapass.WithLogger(logs.logger()), entrapass.WithStateFile(state))
	require.NoError(t, err)
	t.Cleanup(d.Stop)
	return d, d.Bus().Subscribe(1 << 12), logs
}

func accessesOf(sub *asset.Subscription) []*asset.LastAccessEvent {
	var out []*asset.LastAccessEvent
	for {
		select {
		case e := <-sub.Events():
			if a, ok := e.(*asset.LastAccessEvent); ok && a.Ref.Type == asset.Door {
				out = append(out, a)
			}
		default:
			return out
		}
	}
}

// TestResume: a driver stopped and started again with its state file
// delivers the events raised while it was stopped, once each, and not the
// ones it delivered before — identical events of the same second included.
func TestResume(t *testing.T) {
	s := newSite(t, nil)
	state := filepath.Join(t.TempDir(), "state.json")

	d1, sub1, _ := restarted(t, s, state)
	require.NoError(t, d1.PollOnce(ctx(t)))
	s.clk.Advance(2 * time.Second)
	// Two identical events in one second: rows without ids are counted.
	for range 2 {
		_, err := s.w.PresentCard(rdFrontIn, cardAlice, "")
		require.NoError(t, err)
	}
	require.NoError(t, d1.PollOnce(ctx(t)))
	require.Len(t, accessesOf(sub1), 2)
	d1.Stop()
	_, err := os.Stat(state)
	require.NoError(t, err, "Stop writes the state file")

	// Meanwhile: a third identical event in the very same second, then one
	// later.
	_, err = s.w.PresentCard(rdFrontIn, cardAlice, "")
	require.NoError(t, err)
	s.clk.Advance(5 * time.Second)
	_, err = s.w.PresentCard(rdShopIn, cardAlice, "")
	require.NoError(t, err)

	d2, sub2, logs := restarted(t, s, state)
	require.NoError(t, d2.PollOnce(ctx(t)))
	got := accessesOf(sub2)
	require.Len(t, got, 2, "the gap's two events, and not the two delivered before the stop: %v", got)
	assert.Equal(t, doorRef(doorFront), got[0].Ref)
	assert.Equal(t, doorRef(doorShop), got[1].Ref)
	assert.Contains(t, logs.String(), "resuming from the state file")

	// Later polls deliver nothing again.
	require.NoError(t, d2.PollOnce(ctx(t)))
	require.NoError(t, d2.PollOnce(ctx(t)))
	assert.Empty(t, accessesOf(sub2))
}

// TestResumeWithoutStateFile: without a state file, a restarted driver starts
// from its new login (what the state file is for).
func TestResumeWithoutStateFile(t *testing.T) {
	s := newSite(t, nil)
	h := newHarness(t, s, "pacsim", "pacsim")
	h.poll()
	h.d.Stop()
	_, err := s.w.PresentCard(rdFrontIn, cardAlice, "")
	require.NoError(t, err)
	h2 := newHarness(t, s, "pacsim", "pacsim")
	h2.poll()
	assert.Empty(t, h2.accesses())
}

// TestResumeUnreadableStateFile: a state file that cannot be read is logged
// as an error naming why, and the driver starts afresh and replaces it.
func TestResumeUnreadableStateFile(t *testing.T) {
	for name, content := range map[string]string{
		"not JSON":        `{"version":1,`,
		"another version": `{"version":99}`,
		"a broken key":    `{"version":1,"keys":[{"udt":"x","text":"y","p":["a"],"count":1}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			s := newSite(t, nil)
			state := filepath.Join(t.TempDir(), "state.json")
			require.NoError(t, os.WriteFile(state, []byte(content), 0o600))
			d, _, logs := restarted(t, s, state)
			require.NoError(t, d.PollOnce(ctx(t)))
			assert.Contains(t, logs.String(), "the state file cannot be read")
			assert.Contains(t, logs.String(), "unreadable state file")
			d.Stop()
			data, err := os.ReadFile(state)
			require.NoError(t, err)
			assert.Contains(t, string(data), `"version": 1`, "replaced by a good file")
		})
	}
}
