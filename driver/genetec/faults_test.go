package genetec_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec"
	"github.com/pacsim/pacsim/sim/fault"
)

func (r *rig) fault(f fault.Fault) string {
	r.t.Helper()
	st, err := r.s.Control().AddFault(context.Background(), f)
	require.NoError(r.t, err)
	return st.ID
}

// Under faults on the Web SDK — a 5xx one call in three, 300 ms of latency
// on a seeded fifth of the calls, sessions expired, and a 60 s outage during
// the sign-outs — visits signed in and out end with every ended visit's
// badge refused at the reader and every active one granted.
func TestSignInsAndOutsUnderFaults(t *testing.T) {
	t.Parallel()
	n := 200
	if testing.Short() {
		n = 40
	}
	r := newRig(t, n)
	ctx := context.Background()
	r.fault(fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStatus, Params: fault.Params{Status: 503},
		When: fault.When{Every: 3}})
	r.fault(fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindLatency, Params: fault.Params{Latency: 300 * time.Millisecond},
		When: fault.When{Probability: 0.2, Seed: 7}})
	r.fault(fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindExpireSessions, When: fault.When{Every: 7}})

	// Sign-ins, 32 at a time; one refused by a 5xx is undone, and the
	// receptionist tries again.
	var mu sync.Mutex
	visits := make([]genetec.Visit, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			for try := 0; ; try++ {
				v, err := r.signIn(i, fmt.Sprintf("V%d", i), "Visitors - Office")
				if err == nil {
					mu.Lock()
					visits[i] = v
					mu.Unlock()
					return
				}
				// A failed sign-in leaves the badge busy until its undo is
				// confirmed: Flush finishes it.
				if try > 50 {
					t.Errorf("visitor %d never signed in: %v", i, err)
					return
				}
				r.c.Tick(ctx)
			}
		}()
	}
	wg.Wait()
	require.False(t, t.Failed())

	// The outage: every Web SDK call fails for 60 s of site time.
	r.fault(fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStatus, Params: fault.Params{Status: 503},
		When: fault.When{For: 60 * time.Second}})
	// Half the visitors sign out during it: stored, answered 202 (pending).
	for i := 0; i < n; i += 2 {
		_, err := r.c.SignOut(ctx, visits[i].ID)
		require.True(t, err == nil || errors.Is(err, genetec.ErrPending), "sign-out %d: %v", i, err)
	}
	require.Positive(t, r.c.Pending(), "the outage left sign-outs pending")
	r.s.Advance(61 * time.Second) // the outage heals by itself
	for try := 0; r.c.Pending() > 0; try++ {
		require.Less(t, try, 200, "pending deactivations never confirmed")
		r.c.Tick(ctx)
	}

	// What the readers say is the truth.
	require.NoError(t, r.s.Control().ResetFaults(ctx))
	for i := range n {
		v, err := r.c.Visit(visits[i].ID)
		require.NoError(t, err)
		p := r.present(frontDoorEntry, i)
		if i%2 == 0 {
			assert.Equal(t, genetec.StateEnded, v.State, "visit %d", i)
			assert.False(t, p.Granted, "ended visit %d: badge still opens", i)
		} else {
			assert.Equal(t, genetec.StateActive, v.State, "visit %d", i)
			assert.True(t, p.Granted, "active visit %d: %s %s", i, p.Reason, p.Detail)
		}
	}
}
