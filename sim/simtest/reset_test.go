package simtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/fault"
	"github.com/pacsim/pacsim/sim/simtest"
)

// TestResetSaysItRemovedTheFaults: POST /v1/reset removes every fault too,
// and its answer says how many, with the status it always had (200).
func TestResetSaysItRemovedTheFaults(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	ctx := context.Background()
	for _, f := range []fault.Fault{
		{Target: fault.TargetEntraPass, Kind: fault.KindEmpty},
		{Target: fault.TargetGenetec, Kind: fault.KindStatus, Params: fault.Params{Status: 503}},
	} {
		_, err := s.Control().AddFault(ctx, f)
		require.NoError(t, err)
	}
	reset := func() map[string]any {
		resp, err := s.HTTPClient().Post(s.ControlURL()+"/reset", "application/json", nil)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m), "%s", b)
		return m
	}
	assert.Equal(t, map[string]any{"ok": true, "removed": map[string]any{"faults": float64(2)}}, reset())
	faults, err := s.Control().Faults(ctx)
	require.NoError(t, err)
	assert.Empty(t, faults)
	assert.Equal(t, map[string]any{"ok": true, "removed": map[string]any{"faults": float64(0)}}, reset(), "nothing left to remove")
}

// recordingT is a testing.TB that records a Fatal instead of ending the
// test, to watch Start's site fail its own test.
type recordingT struct {
	testing.TB
	fatal chan string
}

func (r *recordingT) Helper() {}

func (r *recordingT) Fatalf(format string, args ...any) {
	r.fatal <- fmt.Sprintf(format, args...)
	runtime.Goexit() // as testing.T.FailNow does
}

// TestAdvanceOnTheRealClockFailsTheTest: Advance on a site started
// WithRealClock fails the test that started it — it used to panic, which
// killed the whole test binary and every other test with it.
func TestAdvanceOnTheRealClockFailsTheTest(t *testing.T) {
	t.Parallel()
	rt := &recordingT{TB: t, fatal: make(chan string, 1)}
	s := simtest.Start(rt, simtest.WithRealClock())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Advance(5 * time.Second)
		t.Error("Advance returned on the real clock")
	}()
	<-done
	select {
	case msg := <-rt.fatal:
		assert.Equal(t, "simtest: Advance(5s) on a site started WithRealClock: the real clock cannot be moved", msg)
	default:
		t.Fatal("the test was not failed")
	}
}
